import Dispatch
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `HTTPTransport` over the toolchain's URLSession (libcurl on Linux).
///
/// One long-lived session per instance (reuse it: a session keeps its connection pool, and each one never
/// invalidated leaks memory), with no URL cache, no cookies, no redirects, and a high per-host connection
/// limit so hundreds of concurrent streams do not queue behind the default of 6. Body pieces are handed
/// over as URLSession delivers them. Time limits come from each request's `HTTPTimeouts` and are enforced
/// by our own timers: URLSession's own request timeout is a total timer on Linux, so it is disabled.
/// URLSession reports no "connected" event, so the connect limit runs until libcurl first asks for the
/// request body (which it does only once connected) or until the response head, whichever comes first.
///
/// Backpressure: FoundationNetworking cannot pause a running transfer (`URLSessionTask.suspend()` removes
/// libcurl's handle, which drops the connection, and `resume()` then stalls or re-sends the request), so
/// the body is buffered; a reader that falls more than `maxBufferedBytes` behind fails the request with
/// `connectionLost` instead of letting memory grow without bound. LLM streams are far slower than any
/// reader, so this only trips on a stuck reader.
public final class URLSessionTransport: HTTPTransport {
    public static let defaultMaxConnectionsPerHost = 1000
    public static let defaultMaxBufferedBytes = 8 << 20
    /// Stands for "no limit" where URLSession wants a number: a week.
    private static let disabledTimeout: TimeInterval = 7 * 24 * 3600

    private let session: URLSession
    private let delegate: SessionDelegate
    private let maxBufferedBytes: Int
    private let timerQueue = DispatchQueue(label: "SidecarHTTP.URLSessionTransport.timers")

    public init(
        maxConnectionsPerHost: Int = URLSessionTransport.defaultMaxConnectionsPerHost,
        maxBufferedBytes: Int = URLSessionTransport.defaultMaxBufferedBytes
    ) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = maxConnectionsPerHost
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.urlCredentialStorage = nil
        configuration.timeoutIntervalForRequest = Self.disabledTimeout
        configuration.timeoutIntervalForResource = Self.disabledTimeout
        // A serial delegate queue keeps each task's callbacks in network order.
        let delegateQueue = OperationQueue()
        delegateQueue.maxConcurrentOperationCount = 1
        delegateQueue.name = "SidecarHTTP.URLSessionTransport.delegate"
        let delegate = SessionDelegate()
        self.delegate = delegate
        self.session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: delegateQueue)
        self.maxBufferedBytes = maxBufferedBytes
    }

    deinit { session.finishTasksAndInvalidate() }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        if Task.isCancelled { throw HTTPTransportError.cancelled }
        var urlRequest = URLRequest(
            url: request.url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: Self.disabledTimeout)
        urlRequest.httpMethod = request.method
        urlRequest.httpShouldHandleCookies = false
        for header in request.headers {
            urlRequest.addValue(header.value, forHTTPHeaderField: header.name)
        }
        if !request.body.isEmpty {
            urlRequest.httpBody = Data(request.body)
        }
        let task = session.dataTask(with: urlRequest)
        let transfer = URLSessionTransfer(
            task: task, timeouts: request.timeouts, maxBufferedBytes: maxBufferedBytes, timerQueue: timerQueue)
        delegate.register(transfer, for: task)
        do {
            return try await transfer.start()
        } catch {
            // A task cancelled before it ever ran may never report completion.
            delegate.unregister(task)
            throw error
        }
    }

    /// Lets running requests finish, then releases the session. The transport must not be used afterwards.
    public func invalidate() {
        session.finishTasksAndInvalidate()
    }
}
