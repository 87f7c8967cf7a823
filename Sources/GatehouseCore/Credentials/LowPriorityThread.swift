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
enum LowPriorityThread {
    static let niceValue: Int32 = 19

    static func run(_ work: @escaping @Sendable () -> Void) {
        let thread = Thread {
            #if canImport(Glibc)
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceValue)
            #endif
            work()
        }
        thread.qualityOfService = .background
        thread.name = "gatehouse-kdf"
        thread.start()
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
