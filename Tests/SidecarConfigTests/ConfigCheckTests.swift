import Foundation
import SidecarConfig
import Testing

@Suite struct ConfigCheckTests {
    /// A valid file exits 0 with a summary, and warns about an unset key variable and a missing key file.
    @Test func validFileExitsZero() {
        let outcome = ConfigCheck.run(file: repositoryRoot + "/examples/sidecar.json", environment: [:])
        #expect(outcome.exitCode == 0)
        #expect(outcome.report.hasPrefix(repositoryRoot + "/examples/sidecar.json: valid\n"))
        #expect(
            outcome.report.contains(
                "  agent     coder: anthropic/claude-sonnet-4-6 -> anthropic/claude-haiku-4-5 -> openai/gpt-5-mini\n")
        )
        #expect(outcome.report.contains("  listen    /run/provider-sidecar/coder.sock mode 0600 agent coder\n"))
        #expect(
            outcome.diagnostics == """
                warning: provider "anthropic": environment variable ANTHROPIC_API_KEY is not set here
                warning: provider "openai": api key file /run/secrets/openai_api_key cannot be read here (no such file)

                """)
    }

    /// An invalid file exits 1 listing every problem and a count.
    @Test func invalidFileExitsOne() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/bad.json"
        try write(#"{"providers": [{"name": "a", "kind": "antropic"}], "limits": {"grace_s": -1}}"#, to: file)
        let outcome = ConfigCheck.run(file: file, environment: [:])
        #expect(outcome.exitCode == 1)
        #expect(outcome.report.isEmpty)
        #expect(
            outcome.diagnostics == """
                providers[0].kind: unknown kind "antropic" (expected anthropic, openai, simulated) (did you mean "anthropic"?)
                limits.grace_s: must not be negative
                \(file): 2 problems

                """)
    }
}
