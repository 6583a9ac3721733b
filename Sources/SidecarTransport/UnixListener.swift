import Foundation
import SidecarEventLoop

#if canImport(Glibc)
import Glibc
#endif

/// Why a listening socket could not be set up. Messages name the path and what to do.
public struct ListenerError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// A bound, listening Unix domain socket.
///
/// Binding follows three rules: a missing parent directory is created (mode 0750); an existing socket file is replaced only
/// when nobody accepts connections on it (a live sidecar keeps its socket); and the file gets its final mode
/// at creation, through the umask, so there is no window with wider permissions.
final class UnixListener: Sendable {
    let path: String
    let fd: Int32
    /// The agent every request on this socket acts as, or nil when requests name their agent.
    let agent: String?

    init(path: String, mode: UInt16, agent: String?) throws(ListenerError) {
        self.path = path
        self.agent = agent
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty {
            do {
                // 0750: the owner and the socket's group (agents) may reach the socket; others may not.
                try FileManager.default.createDirectory(
                    atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
            } catch {
                throw ListenerError(
                    description: "cannot create socket directory \(parent): \(error.localizedDescription)")
            }
        }
        guard let address = UnixSocketAddress(path: path) else {
            throw ListenerError(
                description: "socket path \(path) is too long (max \(UnixSocketAddress.maxPathLength) bytes)")
        }
        try Self.removeStaleSocket(address)
        let fd = socket(
            AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw ListenerError(description: "socket(): \(String(cString: strerror(errno)))") }
        let previousMask = umask(~mode_t(mode) & 0o777)
        let bound = address.withSockaddr { bind(fd, $0, $1) }
        let bindErrno = errno
        umask(previousMask)
        guard bound == 0 else {
            close(fd)
            throw ListenerError(description: "cannot bind \(path): \(String(cString: strerror(bindErrno)))")
        }
        // bind() honoured the umask; chmod also covers bits a umask cannot grant.
        chmod(path, mode_t(mode))
        guard listen(fd, 1024) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            unlink(path)
            throw ListenerError(description: "cannot listen on \(path): \(message)")
        }
        self.fd = fd
    }

    /// Removes the socket file if nobody listens on it; refuses when a live process owns it.
    private static func removeStaleSocket(_ address: UnixSocketAddress) throws(ListenerError) {
        let path = address.path
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else {
            throw ListenerError(description: "\(path) exists and is not a socket; remove it or choose another path")
        }
        let probe = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { close(probe) }
        if address.connect(probe) == nil {
            throw ListenerError(
                description: "\(path) is in use by a running sidecar; stop it first or choose another socket path")
        }
        unlink(path)
    }

    /// Closes the socket and removes its file.
    func shutdown() {
        closeSocket()
        removeFile()
    }

    func removeFile() { unlink(path) }

    func closeSocket() { close(fd) }
}
