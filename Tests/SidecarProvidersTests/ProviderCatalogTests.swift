import Foundation
import SidecarHTTP
import Testing

@testable import SidecarProviders

@Suite struct ProviderCatalogTests {
    /// Every listed kind builds a provider reporting that kind; anything else is refused by name.
    @Test func buildsEveryKindAndRefusesOthers() throws {
        let transport = URLSessionTransport()
        let base = try #require(URL(string: "http://127.0.0.1:1"))
        #expect(ProviderCatalog.kinds == ["anthropic", "openai", "simulated"])
        for kind in ProviderCatalog.kinds {
            let settings = ProviderSettings(name: "p", kind: kind, baseURL: base, apiKey: nil, models: [])
            #expect(try ProviderCatalog.make(settings, transport: transport).kind == kind)
        }
        let wrong = ProviderSettings(name: "p", kind: "antropic", baseURL: base, apiKey: nil, models: [])
        #expect(throws: UnknownProviderKind(kind: "antropic")) { try ProviderCatalog.make(wrong, transport: transport) }
    }
}
