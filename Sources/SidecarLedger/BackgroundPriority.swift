import Foundation

/// Lowers the CPU priority of the calling thread (nice +10), so long ledger scans yield the processor to the
/// threads that stream completions when both want it. Linux only: the thread id comes from
/// `/proc/thread-self` (Glibc does not export `gettid` without `_GNU_SOURCE`); elsewhere nothing changes.
enum BackgroundPriority {
    static let niceness: Int32 = 10

    static func lowerCurrentThread() {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self"),
            let last = target.split(separator: "/").last, let tid = id_t(last)
        else { return }
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), tid, niceness)
    }
}
