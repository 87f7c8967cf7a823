/// How long one database operation may take before its caller gets ``StoreUnavailable`` (SPEC §2:
/// a request that needs the database answers within 5 s, never hangs).
///
/// A task-local, so the stores read it where the work is and callers that may wait longer set it
/// around their own work: requests keep the 4 s default (a 503 within 5 s), `/readyz` gives its
/// ping 1.5 s (an answer within 2 s), background jobs that batch many rows give themselves more.
/// The stores enforce it (`DatabaseDeadline.run` in GatehouseStore).
public enum DatabaseDeadline {
    @TaskLocal public static var current: Duration = .seconds(4)
}
