import Synchronization

/// How long one database operation may take before its caller gets ``StoreUnavailable`` (SPEC §2:
/// a request that needs the database answers within 5 s, never hangs).
///
/// A task-local, so the stores read it where the work is and callers that may wait longer set it
/// around their own work: requests keep the 4 s default (a 503 within 5 s), `/readyz` gives its
/// ping 1.5 s (an answer within 2 s), background jobs that batch many rows give themselves more.
public enum DatabaseDeadline {
    @TaskLocal public static var current: Duration = .seconds(4)

    /// Runs `operation` and returns what it returns, or throws `StoreUnavailable(.timedOut)` once
    /// ``current`` has passed, whichever comes first.
    ///
    /// The caller is answered at the deadline even when `operation` ignores cancellation (a query
    /// on a connection whose server vanished without closing it, a statement waiting on a file
    /// lock): `operation` is then cancelled and left to end on its own, in the background.
    public static func run<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let limit = current
        let race = Race<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                guard race.begin(continuation) else { return }
                let work = Task {
                    let outcome: Result<T, any Error>
                    do { outcome = .success(try await operation()) } catch { outcome = .failure(error) }
                    race.finish(outcome)
                }
                let timer = Task {
                    try? await Task.sleep(for: limit)
                    race.finish(.failure(StoreUnavailable(.timedOut)))
                }
                race.track(work, timer)
            }
        } onCancel: {
            race.finish(.failure(CancellationError()))
        }
    }

    /// The first outcome resumes the caller and cancels both the work and the timer (harmless for
    /// whichever already ended); later outcomes are dropped.
    private final class Race<T: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<T, any Error>?
            var outcome: Result<T, any Error>?
            var tasks: [Task<Void, Never>] = []
        }
        private let state = Mutex(State())

        /// Whether the race is on; when the caller was cancelled before it began, it is answered
        /// at once.
        func begin(_ continuation: CheckedContinuation<T, any Error>) -> Bool {
            let earlier = state.withLock { state -> Result<T, any Error>? in
                if state.outcome == nil { state.continuation = continuation }
                return state.outcome
            }
            guard let earlier else { return true }
            continuation.resume(with: earlier)
            return false
        }

        func finish(_ outcome: Result<T, any Error>) {
            let (continuation, tasks) = state.withLock { state -> (CheckedContinuation<T, any Error>?, [Task<Void, Never>]) in
                guard state.outcome == nil else { return (nil, []) }
                state.outcome = outcome
                defer { state.continuation = nil; state.tasks = [] }
                return (state.continuation, state.tasks)
            }
            continuation?.resume(with: outcome)
            for task in tasks { task.cancel() }
        }

        func track(_ tasks: Task<Void, Never>...) {
            let finished = state.withLock { state -> Bool in
                if state.outcome == nil { state.tasks = tasks }
                return state.outcome != nil
            }
            if finished { for task in tasks { task.cancel() } }
        }
    }
}
