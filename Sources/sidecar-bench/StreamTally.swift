import Foundation

/// Counts what the client threads of the `streams` scenario received, across threads.
final class StreamTally: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var chunks = 0
    private(set) var done = 0
    private(set) var failures: [String] = []

    func record(chunks: Int, done: Int, failures: [String]) {
        lock.withLock {
            self.chunks += chunks
            self.done += done
            self.failures += failures
        }
    }

    var snapshot: (chunks: Int, done: Int, failures: [String]) {
        lock.withLock { (chunks, done, failures) }
    }
}
