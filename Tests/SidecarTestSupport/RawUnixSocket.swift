import Foundation
import SidecarEventLoop

#if canImport(Glibc)
import Glibc
#endif

/// A bare client socket for hostile and churning clients: sends bytes, maybe reads, and closes the way a
/// test says (orderly, or with a reset), with none of `SidecarClient`'s manners.
public struct RawUnixSocket: ~Copyable {
    public let fd: Int32

    /// Connects to `path`; nil when the connection is refused.
    public init?(path: String) {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        guard let address = UnixSocketAddress(path: path), address.connect(fd) == nil else {
            Glibc.close(fd)
            return nil
        }
        self.fd = fd
    }

    /// Sends everything (best effort: a peer that closed ends it).
    public func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { return }
            offset += sent
        }
    }

    public func send(_ text: String) { send(Array(text.utf8)) }

    /// Blocks for at least one byte; false at end-of-file or on an error.
    public func readSome() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        return buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) } > 0
    }

    /// Closes; with `reset`, abortively (SO_LINGER 0: the peer gets a reset instead of end-of-file).
    public consuming func close(reset: Bool = false) {
        if reset {
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        }
        Glibc.close(fd)
        discard self
    }

    deinit { Glibc.close(fd) }
}

/// What `/proc` tells about a running process.
public enum ProcessInspection {
    /// How many descriptors `pid` holds open.
    public static func openDescriptors(_ pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
    }

    /// The most memory `pid` has held resident (`VmHWM`), in bytes.
    public static func peakResidentBytes(_ pid: Int32) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return -1 }
        return kilobytes * 1024
    }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held. For conditions the system
/// reaches on its own (a connection count settling), never to assert how fast it gets there.
public func eventually(timeout: Duration = .seconds(15), _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}

/// Runs blocking work (socket loops, polling, sleeps) on a thread of its own and waits for it, so a long
/// end-to-end test does not hold one of the few cooperative threads every async test in the process shares
/// (on 2 cores, two of them: tests that block them starve the timing-sensitive ones).
public func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
