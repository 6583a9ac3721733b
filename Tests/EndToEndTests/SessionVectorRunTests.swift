import Foundation
import SidecarCLI
import SidecarFraming
import SidecarProtocol
import SidecarTestSupport
import Testing

/// Every `proto-spec/vectors/sessions` transcript, in each of its wire modes, against the real binary.
@Suite(.serialized)
struct SessionVectorRunTests {
    static let sessions: [SessionScript] = (try? SessionScript.all()) ?? []
    let fixture: SidecarFixture
    let openSocket: String
    let coderSocket: String

    init() throws {
        let directory = TemporaryDirectory()
        let open = directory.file("sidecar.sock")
        openSocket = open
        coderSocket = directory.file("coder.sock")
        fixture = try SidecarFixture(
            listeners: "[{\"path\": \"\(open)\"}, {\"path\": \"\(coderSocket)\", \"agent\": \"coder\"}]",
            waitFor: coderSocket,  // the last listener bound: both accept once it does
            providers: "[{\"name\": \"sim\", \"kind\": \"simulated\", \"models\": [\"sim-echo\", \"sim-fast\"]}]",
            agents: "{\"default\": {\"models\": [\"sim/sim-echo\"]}, \"coder\": {\"models\": [\"sim/sim-echo\"]}}")
        directoryKeepAlive = directory
    }

    private let directoryKeepAlive: TemporaryDirectory

    /// The vectors exist (a missing directory must not pass silently).
    @Test func sessionsAreLoaded() {
        #expect(Self.sessions.count >= 10)
    }

    /// Each session transcript holds against the real sidecar in every mode it lists.
    @Test(arguments: sessions)
    func transcriptHolds(_ session: SessionScript) throws {
        for mode in session.modes {
            let socket = session.listener == nil ? openSocket : coderSocket
            let client = try SidecarClient(path: socket, mode: mode)
            for (n, step) in session.steps.enumerated() {
                for outgoing in step.send { try client.sendRaw(outgoing.bytes(mode: mode)) }
                var matcher = SessionMatcher()
                matcher.expect(step.expect)
                while !matcher.isSatisfied {
                    let frame = try #require(
                        try client.receive(), "\(session.name) [\(mode)] step \(n): connection closed early")
                    do {
                        try matcher.receive(frame)
                    } catch {
                        Issue.record("\(session.name) [\(mode)] step \(n): \(error)")
                        return
                    }
                }
                if step.expectsClose {
                    #expect(try client.receive() == nil, "\(session.name) [\(mode)]: expected the sidecar to close")
                }
            }
        }
    }
}

extension SessionScript: CustomTestStringConvertible {
    public var testDescription: String { name }
}
