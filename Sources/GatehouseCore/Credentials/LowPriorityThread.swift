import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs CPU-bound work nobody waits on interactively (password KDFs) on a new thread at the
/// lowest scheduling priority, so it only gets the CPU the request-serving threads leave idle.
///
/// Linux keeps the nice value per thread (setpriority(2), "BUGS": under NPTL "the nice value is
/// a per-thread attribute"), so `setpriority(PRIO_PROCESS, 0, 19)` on the new thread lowers that
/// thread only. A thread per job costs tens of microseconds against a ~100 ms derivation, and
/// leaves no long-lived thread behind. Elsewhere the thread asks for background quality of service.
///
/// Work that only hides whether a name exists (``UnknownNameLane``) runs lower still, at
/// `SCHED_IDLE` (sched(7): "for running very low priority background jobs"), below every nice-19
/// thread, so it never takes CPU from a real password check.
enum LowPriorityThread {
    static let niceValue: Int32 = 19
    /// Linux's `SCHED_IDLE` (sched.h defines it only with `_GNU_SOURCE`, which Swift's Glibc lacks).
    static let schedIdle: Int32 = 5

    static func run(idle: Bool = false, _ work: @escaping @Sendable () -> Void) {
        let thread = Thread {
            #if canImport(Glibc)
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceValue)
            if idle {
                var parameters = sched_param()
                _ = sched_setscheduler(0, schedIdle, &parameters)
            }
            #endif
            work()
        }
        thread.qualityOfService = .background
        thread.name = "gatehouse-kdf"
        thread.start()
    }

    /// The calling thread's scheduling policy (for tests), or nil where it cannot be read.
    static func currentPolicy() -> Int32? {
        #if canImport(Glibc)
        let policy = sched_getscheduler(0)
        return policy >= 0 ? policy : nil
        #else
        return nil
        #endif
    }

    /// The calling thread's nice value (for tests), or nil where it cannot be read.
    static func currentNiceValue() -> Int32? {
        #if canImport(Glibc)
        errno = 0
        let value = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        return errno == 0 ? value : nil
        #else
        return nil
        #endif
    }
}
