import Foundation

extension PasswordHasher {
    /// Admits at most `maxConcurrent` holders at once and queues at most `maxWaiting` more, first
    /// come first served; anyone beyond is refused with ``Overloaded``. A queued caller is not
    /// woken by task cancellation: the wait is bounded by the queue (at most `maxWaiting`
    /// derivations of ~0.1 s each per slot).
    actor Gate {
        let maxConcurrent: Int
        let maxWaiting: Int
        private(set) var running = 0
        private var waiters: [CheckedContinuation<Void, Never>] = []
        private var head = 0

        init(maxConcurrent: Int, maxWaiting: Int) {
            self.maxConcurrent = maxConcurrent
            self.maxWaiting = maxWaiting
        }

        var waiting: Int { waiters.count - head }

        /// Takes a slot if one is free; never queues.
        func tryEnter() -> Bool {
            guard running < maxConcurrent else { return false }
            running += 1
            return true
        }

        func enter() async throws {
            if running < maxConcurrent {
                running += 1
                return
            }
            guard waiting < maxWaiting else { throw Overloaded() }
            // The slot is handed over by `leave()`; `running` stays counted for us.
            await withCheckedContinuation { waiters.append($0) }
        }

        func leave() {
            if head < waiters.count {
                let next = waiters[head]
                head += 1
                if head > 64, head * 2 > waiters.count {
                    waiters.removeFirst(head)
                    head = 0
                }
                next.resume()
            } else {
                running -= 1
            }
        }
    }
}
