import Testing

@testable import SidecarProviders

@Suite struct UpstreamTextTests {
    let key = "sk-ant-api03-k3y9leak7frag2midQW7ZX9LP2RT8VB4NM6KC1HY5JD3"
    var text: UpstreamText { UpstreamText(key: key) }

    /// The key, a prefix, an inner piece and two pieces side by side each become one `<redacted>`; pieces
    /// shorter than 8 characters stay, as does everything around them.
    @Test func redactsEveryPieceOfEightOrMore() {
        #expect(text.message("key \(key) is bad") == "key <redacted> is bad")
        #expect(text.message("starts \(key.prefix(24))...") == "starts <redacted>...")
        #expect(text.message("has leak7fra in it") == "has <redacted> in it")
        #expect(text.message("two: leak7fraQW7ZX9LP") == "two: <redacted>")
        #expect(text.message("short: leak7fr, sk-ant-") == "short: leak7fr, sk-ant-")
    }

    /// Messages are cut at 1 KiB before redaction (a key across the cut is still caught) and stay one line.
    @Test func capsAndFlattensMessages() {
        let long = String(repeating: "x", count: UpstreamText.maxMessageBytes - 10) + key
        let message = text.message(long)
        #expect(message.hasSuffix("<redacted>... (cut at 1024 bytes)"))
        #expect(text.message("line one\nline\ttwo\u{7F}") == "line one line two ")
    }

    /// Plain names pass; anything else, or a name holding a piece of the key, becomes `unknown`.
    @Test func namesArePlainWords() {
        #expect(text.name("overloaded_error") == "overloaded_error")
        #expect(text.name("model.not-found_2") == "model.not-found_2")
        for bad in ["", "Invalid", "has space", "a/b", String(repeating: "a", count: 65), "leak7frag2", key] {
            #expect(text.name(bad) == "unknown", "\(bad)")
        }
    }

    /// A key shorter than 8 characters is redacted whole; no key redacts nothing.
    @Test func shortAndMissingKeys() {
        #expect(UpstreamText(key: "abc12").message("x abc12 y abc1") == "x <redacted> y abc1")
        #expect(UpstreamText(key: nil).message("nothing to hide") == "nothing to hide")
    }
}
