import Foundation
import SidecarHTTP
import SidecarProtocol
import SidecarProviders
import SidecarRegistry

extension ConfigParser {
    static let providerKeys = [
        "name", "kind", "base_url", "api_key_env", "api_key_file", "models", "timeout_s", "connect_timeout_s",
        "first_byte_timeout_s", "idle_timeout_s", "max_retries", "prompt_caching", "headers", "health_check",
        "max_response_bytes", "model_rules",
    ]

    /// Headers that carry credentials: those belong in `api_key_env` / `api_key_file`, never in the config.
    static let credentialHeaders: Set<String> = [
        "authorization", "proxy-authorization", "x-api-key", "api-key", "cookie",
    ]

    static let plainHTTPProblem =
        "plain http would send the API key unencrypted; use https (http is allowed for localhost, 127.x.x.x and ::1)"

    func parseProviders(_ top: ObjectReader, health: Config.HealthCheck) -> [ProviderConfig] {
        guard let items = top.array("providers") else { return [] }
        var providers: [ProviderConfig] = []
        var seen: [String: String] = [:]
        for (index, item) in items.enumerated() {
            let path = JSONPath.index("providers", index)
            guard let reader = ObjectReader(item, path: path, log: log),
                let provider = parseProvider(reader, health: health)
            else { continue }
            if let other = seen[provider.name] {
                reader.fail("name", "duplicate provider \(JSONPath.quoted(provider.name)) (also \(other))")
                continue
            }
            seen[provider.name] = path
            providers.append(provider)
        }
        return providers
    }

    private func parseProvider(_ reader: ObjectReader, health: Config.HealthCheck) -> ProviderConfig? {
        reader.rejectUnknownKeys(known: Self.providerKeys)
        let name = reader.string("name", required: true)
        if let name, name.contains("/") || name.contains(where: \.isWhitespace) {
            reader.fail("name", "must not contain \"/\" or spaces (it is the provider part of provider/model)")
        }
        let kind = parseKind(reader)
        let baseURL = reader.string("base_url").flatMap { parseBaseURL($0, reader) }
        let keyEnv = reader.string("api_key_env")
        if let keyEnv, !Self.isVariableName(keyEnv) {
            // Never echo the value: a key pasted here by mistake must not reach a terminal or log.
            reader.fail(
                "api_key_env",
                "not a valid environment variable name (name the variable that holds the key, not the key)")
        }
        let keyFile = reader.string("api_key_file").map { expand($0, at: reader.name("api_key_file")) }
        let models = reader.strings("models")?.map(\.value) ?? []
        let defaults = ProviderSettings.defaultTimeouts
        let timeouts = HTTPTimeouts(
            connect: reader.seconds("connect_timeout_s") ?? defaults.connect,
            firstByte: reader.seconds("first_byte_timeout_s") ?? defaults.firstByte,
            idle: reader.seconds("idle_timeout_s") ?? defaults.idle,
            total: reader.seconds("timeout_s") ?? defaults.total)
        let maxRetries = reader.int("max_retries", in: 0...10)
        let maxResponseBytes = reader.int("max_response_bytes", in: ConfigDefaults.maxResponseBytesRange)
        let promptCaching = reader.bool("prompt_caching")
        let headers = reader.object("headers").map(parseHeaders) ?? [:]
        let providerHealth = parseHealthCheck(reader.object("health_check"), over: health)
        let modelRules = parseModelRules(reader.object("model_rules"), kind: kind)
        if let kind {
            checkCredentials(reader, kind: kind, baseURL: baseURL, keyEnv: keyEnv, keyFile: keyFile)
        }
        guard let name else { return nil }
        // Without a valid kind (already reported, so the config is discarded) the kind stays empty.
        let settings = ProviderSettings(
            name: name, kind: kind?.name ?? "", baseURL: baseURL ?? kind?.defaultBaseURL,
            models: models, timeouts: timeouts, headers: headers,
            promptCaching: promptCaching ?? kind?.promptCachingByDefault ?? false,
            maxResponseBytes: maxResponseBytes ?? ProviderSettings.defaultMaxResponseBytes, modelRules: modelRules)
        return ProviderConfig(
            settings: settings, apiKeyEnv: keyEnv, apiKeyFile: keyFile,
            maxRetries: maxRetries ?? ProviderRoute.defaultMaxRetries, healthCheck: providerHealth)
    }

    /// The kind from `ProviderCatalog`, which lists every kind the sidecar can build.
    private func parseKind(_ reader: ObjectReader) -> ProviderKind? {
        guard let text = reader.string("kind", required: true) else { return nil }
        guard let kind = ProviderCatalog.kind(named: text) else {
            let names = ProviderCatalog.kinds
            reader.fail(
                "kind",
                "unknown kind \(JSONPath.quoted(text)) (expected \(names.joined(separator: ", ")))"
                    + Suggestion.hint(for: text, in: names))
            return nil
        }
        return kind
    }

    private func parseBaseURL(_ text: String, _ reader: ObjectReader) -> URL? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else {
            reader.fail("base_url", "expected an http:// or https:// URL with a host")
            return nil
        }
        if url.user != nil || url.password != nil {
            reader.fail("base_url", "must not contain credentials; use api_key_env or api_key_file")
            return nil
        }
        if url.query != nil || url.fragment != nil {
            reader.fail("base_url", "must not have a query or fragment")
            return nil
        }
        if scheme == "http", !Self.isLoopback(url) {
            reader.fail("base_url", Self.plainHTTPProblem)
            return nil
        }
        // One spelling, so providers can append their paths ("/v1/messages") without doubling a slash.
        var trimmed = text
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        return URL(string: trimmed) ?? url
    }

    /// One key source at most, and exactly one when the kind's `keyRule` asks for it.
    private func checkCredentials(
        _ reader: ObjectReader, kind: ProviderKind, baseURL: URL?,
        keyEnv: String?, keyFile: String?
    ) {
        if keyEnv != nil, keyFile != nil {
            log.add(reader.path, "set api_key_env or api_key_file, not both")
            return
        }
        let hasKey = keyEnv != nil || keyFile != nil
        switch kind.keyRule {
        case .none:
            if hasKey { log.add(reader.path, "a \(kind.name) provider takes no api_key_env or api_key_file") }
        case .required, .requiredUnlessLoopback:
            let loopback = kind.keyRule == .requiredUnlessLoopback && baseURL.map(Self.isLoopback) == true
            if !hasKey, !loopback { log.add(reader.path, "missing api_key_env or api_key_file") }
        }
    }

    private func parseHeaders(_ reader: ObjectReader) -> [String: String] {
        var headers: [String: String] = [:]
        for (key, value) in reader.fields.sorted(by: { $0.key < $1.key }) {
            if !Self.isHeaderName(key) {
                reader.fail(key, "not a valid HTTP header name")
            } else if Self.credentialHeaders.contains(key.lowercased()) {
                reader.fail(key, "credentials belong in api_key_env or api_key_file, not in headers")
            } else if let text = value.stringValue {
                if text.contains(where: { $0.isNewline || $0 == "\0" }) {
                    reader.fail(key, "header value must not contain line breaks")
                } else {
                    headers[key] = text
                }
            } else {
                reader.fail(key, "expected string, got \(value.typeName)")
            }
        }
        return headers
    }

    static func isLoopback(_ url: URL) -> Bool {
        guard let host = url.host?.lowercased() else { return false }
        return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    static func isVariableName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else { return false }
        return text.unicodeScalars.allSatisfy {
            $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic)
                || ("0"..."9").contains($0)
        }
    }

    /// RFC 9110 token characters.
    static func isHeaderName(_ text: String) -> Bool {
        !text.isEmpty
            && text.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                        || "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar))
            }
    }
}
