import CEpoll
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One thread waiting in `epoll_wait`, calling each ready descriptor's handler on that thread.
///
/// Why not Dispatch sources: libdispatch's epoll back end can finalize a source twice when a descriptor is
/// closed and its number reused at once by `accept` or `socket` (swift-corelibs-libdispatch #833, #949),
/// which killed the daemon under connection churn. Here the owner of a descriptor decides when it is
/// released: `deregister` takes it out of the epoll set synchronously, events already fetched for it are
/// dropped (each registration has its own token, never reused), and the owner closes the descriptor on the
/// loop's thread (`execute`), so no handler of this loop can run against a reused number.
///
/// Registrations are level-triggered: a handler that leaves data unread is called again on the next turn,
/// so end-of-file arriving with the last data is never missed, and one busy peer cannot starve the rest.
/// A registration with no interest is kept out of the epoll set until it wants something again, so a peer
/// that hangs up on a paused descriptor is not reported over and over. Events fetched before a change of
/// interest may still be delivered once: handlers treat readiness as a hint (a read may find nothing).
public final class EventLoop: Sendable {
    private let epoll: Int32
    private let wakeup: Int32
    private let table = Mutex(Table())
    private let pending = Mutex(Pending())
    private let thread = Atomic<UInt>(0)
    private let stopping = Atomic<Bool>(false)

    private struct Pending {
        var work: [@Sendable () -> Void] = []
        /// The thread has exited: work runs at once on the caller's thread, where no handler can run anymore.
        var stopped = false
    }

    private struct Table {
        var entries: [UInt64: Entry] = [:]
        var nextToken: UInt64 = 1
    }

    private struct Entry {
        let fd: Int32
        let handler: any EventHandler
        var interest: Interest
    }

    /// A descriptor's place in the loop. Hand it back to `update` and `deregister`.
    public struct Registration: Sendable, Hashable {
        let token: UInt64
        public let fd: Int32
    }

    /// Token 0 is the wake-up descriptor.
    private static let wakeToken: UInt64 = 0

    /// Starts the loop's thread. Fails only when the system refuses an epoll or eventfd descriptor.
    public init(name: String) throws(EventLoopError) {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { throw EventLoopError(operation: "epoll_create1", errno: errno) }
        wakeup = eventfd(0, Int32(EFD_CLOEXEC) | Int32(EFD_NONBLOCK))
        guard wakeup >= 0 else {
            let code = errno
            Glibc.close(epoll)
            throw EventLoopError(operation: "eventfd", errno: code)
        }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = Self.wakeToken
        _ = epoll_ctl(epoll, EPOLL_CTL_ADD, wakeup, &event)
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    /// True on the loop's own thread.
    public var inLoop: Bool { thread.load(ordering: .acquiring) == UInt(bitPattern: Int(bitPattern: pthread_self())) }

    /// Watches `fd` for `interest`. Any thread.
    public func register(_ fd: Int32, interest: Interest, handler: any EventHandler) throws(EventLoopError)
        -> Registration
    {
        try table.withLock { (table: inout Table) throws(EventLoopError) -> Registration in
            let registration = Registration(token: table.nextToken, fd: fd)
            table.nextToken += 1
            if !interest.isEmpty, let code = control(EPOLL_CTL_ADD, registration, interest) {
                throw EventLoopError(operation: "epoll_ctl(ADD)", errno: code)
            }
            table.entries[registration.token] = Entry(fd: fd, handler: handler, interest: interest)
            return registration
        }
    }

    /// Changes what `registration` is watched for. Any thread; a no-op once deregistered.
    public func update(_ registration: Registration, interest: Interest) {
        table.withLock { table in
            guard var entry = table.entries[registration.token], entry.interest != interest else { return }
            let operation = entry.interest.isEmpty ? EPOLL_CTL_ADD : interest.isEmpty ? EPOLL_CTL_DEL : EPOLL_CTL_MOD
            entry.interest = interest
            table.entries[registration.token] = entry
            _ = control(operation, registration, interest)
        }
    }

    /// Stops watching. Called on the loop's thread, no handler call for this registration follows; from another
    /// thread, one the loop has already looked up may still run: an owner that closes the descriptor therefore
    /// does so in `execute`, which runs after every handler call of the current turn. Any thread.
    public func deregister(_ registration: Registration) {
        table.withLock { table in
            guard let entry = table.entries.removeValue(forKey: registration.token), !entry.interest.isEmpty else {
                return
            }
            _ = control(EPOLL_CTL_DEL, registration, [])
        }
    }

    /// One `epoll_ctl`; the errno when it failed.
    private func control(_ operation: Int32, _ registration: Registration, _ interest: Interest) -> Int32? {
        var event = epoll_event()
        event.events = interest.epollEvents
        event.data.u64 = registration.token
        return epoll_ctl(epoll, operation, registration.fd, &event) == 0 ? nil : errno
    }

    /// Runs `work` on the loop's thread after the current turn's events. Any thread. Once the loop has
    /// stopped, runs it at once on the calling thread.
    public func execute(_ work: @escaping @Sendable () -> Void) {
        let state: (wake: Bool, runNow: Bool) = pending.withLock { pending in
            guard !pending.stopped else { return (false, true) }
            pending.work.append(work)
            return (pending.work.count == 1, false)
        }
        if state.runNow { work() }
        if state.wake { wake() }
    }

    /// Ends the thread after its current turn (work already handed to `execute` still runs). Registered
    /// descriptors are left to their owners.
    public func stop() {
        stopping.store(true, ordering: .releasing)
        wake()
    }

    deinit {
        Glibc.close(wakeup)
        Glibc.close(epoll)
    }

    private func wake() {
        var one: UInt64 = 1
        _ = Glibc.write(wakeup, &one, MemoryLayout<UInt64>.size)
    }

    private func run() {
        thread.store(UInt(bitPattern: Int(bitPattern: pthread_self())), ordering: .releasing)
        let capacity = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer {
            events.deallocate()
            let rest = pending.withLock { pending in
                pending.stopped = true
                defer { pending.work = [] }
                return pending.work
            }
            rest.forEach { $0() }
        }
        while !stopping.load(ordering: .acquiring) {
            let count = epoll_wait(epoll, events, Int32(capacity), -1)
            if count < 0 {
                if errno == EINTR { continue }
                fatalError("epoll_wait failed (errno \(errno))")
            }
            for index in 0..<Int(count) {
                let event = events[index]
                let token = event.data.u64
                if token == Self.wakeToken {
                    var value: UInt64 = 0
                    _ = Glibc.read(wakeup, &value, MemoryLayout<UInt64>.size)
                    continue
                }
                // Looked up per event: a handler earlier in this batch may have deregistered this one.
                guard let handler = table.withLock({ $0.entries[token]?.handler }) else { continue }
                handler.ready(Readiness(epollEvents: event.events))
            }
            runPending()
        }
    }

    private func runPending() {
        let work = pending.withLock { pending in
            defer { pending.work = [] }
            return pending.work
        }
        work.forEach { $0() }
    }
}

/// The system refused a descriptor the loop needs.
public struct EventLoopError: Error, CustomStringConvertible, Sendable {
    public let operation: String
    public let errno: Int32
    public var description: String { "\(operation) failed: \(String(cString: strerror(errno)))" }
}
