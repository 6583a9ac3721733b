import Foundation
import SidecarHTTP

/// A 2xx answer the sidecar cannot read, named for what came instead: without these checks an HTML page
/// or a compressed body is parsed as an event stream that finds no events and fails with a vague "stream
/// ended before message_stop". Transient (`upstream_error`, retried, fails over), like other upstream faults.
extension UpstreamError {
    /// Bodies are read as they arrive, never decoded: any content coding but `identity` is refused.
    /// (URLSession decodes the codings it asked for itself and drops the header, see `URLSessionTransfer`.)
    func encodingProblem(_ response: HTTPResponse) -> ProviderFailure? {
        guard let coding = response.headers["content-encoding"], Self.token(coding) != "identity",
            !Self.token(coding).isEmpty
        else { return nil }
        let shown = text.message(coding)
        return ProviderFailure(
            .transient,
            "\(prefix): upstream sent a \(shown)-encoded body (Content-Encoding: \(shown)), which the sidecar does not decode"
        )
    }

    /// A streaming request's answer must be `text/event-stream` (parameters allowed). A missing
    /// content-type is tolerated; `sniffedProblem` then looks at the first bytes.
    func eventStreamProblem(_ response: HTTPResponse) -> ProviderFailure? {
        guard let contentType = response.headers["content-type"],
            Self.token(contentType.split(separator: ";", omittingEmptySubsequences: false)[0]) != "text/event-stream"
        else { return nil }
        return notEventStream(response.status, "content-type \(text.message(contentType))")
    }

    /// The first body piece of a streaming answer without a content-type: markup (an error page) or a gzip
    /// stream is refused; anything else is parsed as events.
    func sniffedProblem(status: Int, firstPiece: [UInt8]) -> ProviderFailure? {
        if firstPiece.starts(with: [0x1F, 0x8B]) {
            return notEventStream(status, "no content-type and a gzip-compressed body")
        }
        let first = firstPiece.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        return first == UInt8(ascii: "<")
            ? notEventStream(status, "no content-type and a body that looks like HTML") : nil
    }

    private func notEventStream(_ status: Int, _ what: String) -> ProviderFailure {
        ProviderFailure(.transient, "\(prefix): upstream answered \(status) with \(what), not an event stream")
    }

    /// A header value's token: blanks trimmed, lowercased.
    private static func token(_ value: some StringProtocol) -> String {
        value.trimmingCharacters(in: .whitespaces).lowercased()
    }
}
