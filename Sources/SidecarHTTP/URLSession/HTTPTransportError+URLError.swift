import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension HTTPTransportError {
    /// Maps a URLSession completion error. Messages name the failure class and the URL error code only:
    /// never the URL (a query may hold a key), never header values.
    init(completionError error: Error, afterHead: Bool) {
        let code = (error as? URLError)?.code.rawValue ?? (error as NSError).code
        switch code {
        case NSURLErrorCancelled:
            self = .cancelled
        case NSURLErrorTimedOut:
            self = .timedOut("idle")
        case NSURLErrorCannotConnectToHost:
            self = .connectionFailed("connection refused (URL error \(code))")
        case NSURLErrorCannotFindHost, NSURLErrorDNSLookupFailed:
            self = .connectionFailed("host name not resolved (URL error \(code))")
        case NSURLErrorNotConnectedToInternet, NSURLErrorInternationalRoamingOff, NSURLErrorCallIsActive,
            NSURLErrorDataNotAllowed:
            self = .connectionFailed("no network (URL error \(code))")
        case NSURLErrorSecureConnectionFailed, NSURLErrorServerCertificateHasBadDate,
            NSURLErrorServerCertificateUntrusted, NSURLErrorServerCertificateHasUnknownRoot,
            NSURLErrorServerCertificateNotYetValid, NSURLErrorClientCertificateRejected,
            NSURLErrorClientCertificateRequired:
            self = .connectionFailed("TLS handshake failed (URL error \(code))")
        case NSURLErrorBadURL, NSURLErrorUnsupportedURL:
            self = .connectionFailed("unusable URL (URL error \(code))")
        default:
            self =
                afterHead
                ? .connectionLost("the connection broke before the body was complete (URL error \(code))")
                : .connectionFailed("the connection broke before the response head (URL error \(code))")
        }
    }
}
