import Glibc

/// Blocking I/O on one accepted connection, used from the connection's own thread.
struct ClientSocket {
    let fd: Int32

    /// Writes all of `bytes`; false when the peer has gone.
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Glibc.send(fd, buffer.baseAddress.map { $0 + offset }, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    func send(_ text: String) -> Bool {
        send(Array(text.utf8))
    }

    /// Reads what is available (blocking until something is); nil on end of stream or error.
    func receive(max: Int = 65_536) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: max)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, max, 0) }
            if count > 0 { return Array(buffer[0..<count]) }
            if count < 0, errno == EINTR { continue }
            return nil
        }
    }

    /// Waits `milliseconds`, returning early with false if the peer closes the connection meanwhile, so a
    /// paced stream notices a client disconnect between events instead of at its next write.
    func pause(milliseconds: Double) -> Bool {
        guard milliseconds > 0 else { return true }
        let deadline = monotonicMilliseconds() + milliseconds
        while true {
            let remaining = deadline - monotonicMilliseconds()
            if remaining <= 0 { return true }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(remaining.rounded(.up)))
            if ready < 0, errno != EINTR { return false }
            if ready > 0 {
                if peerClosed() { return false }
                // Data from the client (a pipelined request) is left for later; just wait out the delay.
                let left = deadline - monotonicMilliseconds()
                if left > 0 { usleep(UInt32(left * 1000)) }
                return true
            }
        }
    }

    /// Blocks until the peer closes the connection (or it is shut down locally); data it sends is discarded.
    func waitForClose() {
        while receive() != nil {}
    }

    private func peerClosed() -> Bool {
        var byte: UInt8 = 0
        let count = recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        if count == 0 { return true }
        return count < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR
    }

    private func monotonicMilliseconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) * 1000 + Double(now.tv_nsec) / 1_000_000
    }
}
