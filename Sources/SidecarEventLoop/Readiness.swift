import CEpoll

/// What a registered descriptor should be watched for.
public struct Interest: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Data, end-of-file or a half-close by the peer.
    public static let readable = Interest(rawValue: 1)
    /// Room in the send buffer (or a finished non-blocking `connect`).
    public static let writable = Interest(rawValue: 2)

    var epollEvents: UInt32 {
        var events: UInt32 = 0
        if contains(.readable) { events |= EPOLLIN.rawValue | EPOLLRDHUP.rawValue }
        if contains(.writable) { events |= EPOLLOUT.rawValue }
        return events
    }
}

/// What one epoll event reported for a descriptor.
public struct Readiness: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let readable = Readiness(rawValue: 1)
    public static let writable = Readiness(rawValue: 2)
    /// The peer closed (`EPOLLHUP`, or `EPOLLRDHUP` while reading): reading will see end-of-file.
    public static let hangup = Readiness(rawValue: 4)
    /// A pending socket error (`EPOLLERR`): the next read or write reports it.
    public static let error = Readiness(rawValue: 8)

    init(epollEvents events: UInt32) {
        var readiness: Readiness = []
        if events & EPOLLIN.rawValue != 0 { readiness.insert(.readable) }
        if events & EPOLLOUT.rawValue != 0 { readiness.insert(.writable) }
        if events & (EPOLLHUP.rawValue | EPOLLRDHUP.rawValue) != 0 { readiness.insert(.hangup) }
        if events & EPOLLERR.rawValue != 0 { readiness.insert(.error) }
        self = readiness
    }
}

/// Receives the readiness of one registered descriptor, always on its loop's thread.
public protocol EventHandler: AnyObject, Sendable {
    func ready(_ readiness: Readiness)
}
