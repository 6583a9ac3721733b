import SidecarConfig
import Testing

/// One invalid config and a problem line it must produce.
struct InvalidCase: CustomTestStringConvertible, Sendable {
    let json: String
    let expected: String
    init(_ json: String, _ expected: String) {
        self.json = json
        self.expected = expected
    }
    var testDescription: String { expected }
}

let invalidCases: [InvalidCase] = [
    // Structure and types
    InvalidCase("[]", "the config must be a JSON object, got array"),
    InvalidCase(#"{"providers": {}}"#, "providers: expected array, got object"),
    InvalidCase(
        #"{"provider": [], "providers": [\#(providerA)]}"#, #"provider: unknown key (did you mean "providers"?)"#),
    InvalidCase(
        #"{"providers": [\#(providerA)], "limits": {"max_frame": "big"}}"#,
        "limits.max_frame: expected integer, got string"),
    InvalidCase(
        #"{"providers": [\#(providerA)], "limits": {"max_frame": 1.5}}"#,
        "limits.max_frame: expected integer, got 1.5"),
    InvalidCase(
        #"{"providers": [\#(providerA)], "limits": {"max_frame": 100}}"#,
        "limits.max_frame: must be at least 1024"),
    InvalidCase(
        #"{"providers": [\#(providerA)], "limits": {"max_connections": 0}}"#,
        "limits.max_connections: must be at least 1"),
    InvalidCase(
        #"{"providers": [\#(providerA)], "limits": {"read_timeout_s": 0}}"#,
        "limits.read_timeout_s: must be positive"),
    InvalidCase(#"{"providers": [\#(providerA)], "limits": {"grace_s": -1}}"#, "limits.grace_s: must not be negative"),
    InvalidCase(
        #"{"providers": [\#(providerA)], "limits": {"grace": 1}}"#,
        #"limits.grace: unknown key (did you mean "grace_s"?)"#),
    InvalidCase(
        #"{"providers": [\#(providerA)], "circuit_breaker": {"open_seconds": 0}}"#,
        "circuit_breaker.open_seconds: must be positive"),
    InvalidCase(
        #"{"providers": [\#(providerA)], "circuit_breaker": {"failure_threshold": 0}}"#,
        "circuit_breaker.failure_threshold: must be at least 1"),
    InvalidCase(
        #"{"providers": [\#(providerA)], "health_check": {"interval_s": "1m"}}"#,
        "health_check.interval_s: expected number of seconds, got string"),
    InvalidCase(
        #"{"providers": [\#(providerA)], "log_level": "verbose"}"#,
        #"log_level: unknown level "verbose" (expected error, warn, info, debug)"#),
    // listen and ledger
    InvalidCase(#"{"providers": [\#(providerA)], "listen": []}"#, "listen: must list at least one socket"),
    InvalidCase(#"{"providers": [\#(providerA)], "listen": [{"mode": "0600"}]}"#, "listen[0].path: missing"),
    InvalidCase(
        #"{"providers": [\#(providerA)], "listen": [{"path": "/tmp/a.sock"}, {"path": "/tmp/a.sock"}]}"#,
        "listen[1].path: duplicate socket path (also listen[0])"),
    InvalidCase(
        #"{"providers": [\#(providerA)], "listen": [{"path": "/tmp/\#(String(repeating: "x", count: 120))"}]}"#,
        "listen[0].path: longer than 107 bytes, the limit for a Unix socket path"),
    InvalidCase(
        #"{"providers": [\#(providerA)], "listen": [{"path": "/tmp/a.sock", "mode": "0999"}]}"#,
        #"listen[0].mode: expected an octal file mode such as "0660", at most "0777""#),
    InvalidCase(
        #"{"providers": [\#(providerA)], "listen": [{"path": "/tmp/a.sock", "mode": 4755}]}"#,
        #"listen[0].mode: expected an octal file mode such as "0660", at most "0777""#),
    InvalidCase(
        #"{"providers": [\#(providerA)], "listen": [{"path": "/tmp/a.sock", "mode": true}]}"#,
        #"listen[0].mode: expected octal string such as "0660", got boolean"#),
    InvalidCase(
        #"{"providers": [\#(providerA)], "agents": {"coder": {}}, "listen": [{"path": "/s", "agent": "codr"}]}"#,
        #"listen[0].agent: unknown agent "codr" (did you mean "coder"?)"#),
    InvalidCase(#"{"providers": [\#(providerA)], "ledger": {}}"#, "ledger.path: missing"),
    InvalidCase(#"{"providers": [\#(providerA)], "ledger": {"path": ""}}"#, "ledger.path: must not be empty"),
    // providers
    InvalidCase(#"{"providers": [\#(providerA), {"name": "b", "api_key_env": "K"}]}"#, "providers[1].kind: missing"),
    InvalidCase(#"{"providers": [{"kind": "simulated"}]}"#, "providers[0].name: missing"),
    InvalidCase(
        #"{"providers": [{"name": "x", "kind": "antropic", "api_key_env": "K"}]}"#,
        #"providers[0].kind: unknown kind "antropic" (expected anthropic, openai, simulated) (did you mean "anthropic"?)"#
    ),
    InvalidCase(
        #"{"providers": [\#(providerA), \#(providerA)]}"#,
        #"providers[1].name: duplicate provider "a" (also providers[0])"#),
    InvalidCase(
        #"{"providers": [{"name": "a/b", "kind": "simulated"}]}"#,
        #"providers[0].name: must not contain "/" or spaces (it is the provider part of provider/model)"#),
    InvalidCase(
        #"{"providers": [{"name": "a", "kind": "anthropic", "api_key_env": "K", "timout_s": 5}]}"#,
        #"providers[0].timout_s: unknown key (did you mean "timeout_s"?)"#),
    InvalidCase(
        #"{"providers": [{"name": "a", "kind": "anthropic", "api_key_env": "K", "models": ["m"], "api_key": "sk-ant-test-key"}]}"#,
        "providers[0].api_key: unknown key: put the key in an environment variable (api_key_env) or a file (api_key_file)"
    ),
    InvalidCase(
        #"{"providers": [{"name": "a", "kind": "anthropic"}]}"#, "providers[0]: missing api_key_env or api_key_file"),
    InvalidCase(
        #"{"providers": [{"name": "a", "kind": "openai", "base_url": "https://api.example.com/v1"}]}"#,
        "providers[0]: missing api_key_env or api_key_file"),
    InvalidCase(
        #"{"providers": [{"name": "a", "kind": "anthropic", "api_key_env": "K", "api_key_file": "/k"}]}"#,
        "providers[0]: set api_key_env or api_key_file, not both"),
    InvalidCase(
        #"{"providers": [{"name": "s", "kind": "simulated", "api_key_env": "K", "models": ["x"]}]}"#,
        "providers[0]: a simulated provider takes no api_key_env or api_key_file"),
    InvalidCase(
        #"{"providers": [{"name": "a", "kind": "anthropic", "api_key_env": "sk-ant-test-key"}]}"#,
        "providers[0].api_key_env: not a valid environment variable name (name the variable that holds the key, not the key)"
    ),
    InvalidCase(
        #"{"providers": [{"name": "a", "kind": "openai", "api_key_env": "K", "base_url": "api.openai.com"}]}"#,
        "providers[0].base_url: expected an http:// or https:// URL with a host"),
    InvalidCase(
        #"{"providers": [{"name": "a", "kind": "openai", "api_key_env": "K", "base_url": "https://u:p@h.example"}]}"#,
        "providers[0].base_url: must not contain credentials; use api_key_env or api_key_file"),
    InvalidCase(
        #"{"providers": [{"name": "a", "kind": "openai", "api_key_env": "K", "base_url": "http://proxy.internal/v1"}]}"#,
        "providers[0].base_url: plain http would send the API key unencrypted; use https (http is allowed for localhost, 127.x.x.x and ::1)"
    ),
    InvalidCase(
        #"{"providers": [{"name": "a", "kind": "openai", "api_key_env": "K", "headers": {"Authorization": "Bearer x"}}]}"#,
        "providers[0].headers.Authorization: credentials belong in api_key_env or api_key_file, not in headers"),
    InvalidCase(
        #"{"providers": [{"name": "a", "kind": "openai", "api_key_env": "K", "headers": {"X-Team": 7}}]}"#,
        "providers[0].headers.X-Team: expected string, got number"),
    InvalidCase(
        #"{"providers": [{"name": "a", "kind": "openai", "api_key_env": "K", "headers": {"bad name": "v"}}]}"#,
        #"providers[0].headers["bad name"]: not a valid HTTP header name"#),
    InvalidCase(
        #"{"providers": [{"name": "a", "kind": "anthropic", "api_key_env": "K", "models": ["m", "m"]}]}"#,
        #"providers[0].models[1]: duplicate "m" (also at [0])"#),
    InvalidCase(
        #"{"providers": [{"name": "a", "kind": "anthropic", "api_key_env": "K", "models": ["m", 3]}]}"#,
        "providers[0].models[1]: expected string, got number"),
    InvalidCase(
        #"{"providers": [{"name": "a", "kind": "anthropic", "api_key_env": "K", "models": ["m"], "max_retries": 11}]}"#,
        "providers[0].max_retries: must be at most 10"),
    InvalidCase(
        #"{"providers": [{"name": "a", "kind": "anthropic", "api_key_env": "K", "max_response_bytes": 1000}]}"#,
        "providers[0].max_response_bytes: must be at least 65536"),
    InvalidCase(
        #"{"providers": [{"name": "a", "kind": "anthropic", "api_key_env": "K", "max_response_bytes": "32M"}]}"#,
        "providers[0].max_response_bytes: expected integer, got string"),
    InvalidCase(
        #"{"providers": [{"name": "a", "kind": "anthropic", "api_key_env": "K", "models": ["m"], "timeout_s": 0}]}"#,
        "providers[0].timeout_s: must be positive"),
    InvalidCase(
        #"{"providers": [{"name": "a", "kind": "anthropic", "api_key_env": "K", "models": ["m"], "prompt_caching": "yes"}]}"#,
        "providers[0].prompt_caching: expected boolean, got string"),
    InvalidCase(
        #"{"providers": [{"name": "a", "kind": "anthropic", "api_key_env": "K", "models": ["m"], "health_check": {"every": 5}}]}"#,
        "providers[0].health_check.every: unknown key"),
    // agents and model references
    InvalidCase(
        #"{"providers": [\#(providerA)], "agents": {"coder": {"models": ["antropic/m"]}}}"#,
        #"agents.coder.models[0]: unknown provider "antropic""#),
    InvalidCase(
        #"{"providers": [{"name": "anthropic", "kind": "anthropic", "api_key_env": "K"}], "agents": {"default": {"models": ["antropic/claude"]}}}"#,
        #"agents.default.models[0]: unknown provider "antropic" (did you mean "anthropic"?)"#),
    InvalidCase(
        #"{"providers": [\#(providerA)], "agents": {"coder": {"models": ["a/x"]}}}"#,
        #"agents.coder.models[0]: provider "a" does not list model "x""#),
    InvalidCase(
        #"{"providers": [\#(providerA), \#(providerB)], "agents": {"default": {"models": ["m"]}}}"#,
        #"agents.default.models[0]: model "m" is listed by several providers; write "a/m" or "b/m""#),
    InvalidCase(
        #"{"providers": [\#(providerA)], "agents": {"coder": {"models": ["mm"]}}}"#,
        #"agents.coder.models[0]: unknown model or alias "mm""#),
    InvalidCase(
        #"{"providers": [{"name": "o", "kind": "openai", "api_key_env": "K", "models": ["gpt-4.1"]}], "agents": {"coder": {"models": ["gtp-4.1"]}}}"#,
        #"agents.coder.models[0]: unknown model or alias "gtp-4.1" (did you mean "gpt-4.1"?)"#),
    InvalidCase(
        #"{"providers": [\#(providerA)], "agents": {"coder": {"models": ["a/"]}}}"#,
        "agents.coder.models[0]: empty model reference"),
    InvalidCase(
        #"{"providers": [\#(providerA)], "agents": {"default": {"models": []}}}"#,
        "agents.default.models: the default agent must list at least one model"),
    InvalidCase(
        #"{"providers": [{"name": "a", "kind": "anthropic", "api_key_env": "K"}]}"#,
        "agents.default: missing, and no provider lists a model to build it from"),
    InvalidCase(
        #"{"providers": [\#(providerA)], "agents": {"": {}}}"#,
        #"agents[""]: agent names must be non-empty, without control characters"#),
    InvalidCase(
        #"{"providers": [\#(providerA)], "agents": {"coder": []}}"#, "agents.coder: expected object, got array"),
    InvalidCase(
        #"{"providers": [\#(providerA)], "agents": {"coder": {"model": ["m"]}}}"#,
        #"agents.coder.model: unknown key (did you mean "models"?)"#),
    InvalidCase(
        #"{"providers": [\#(providerA)], "agents": {"coder": {"max_tokens": 0}}}"#,
        "agents.coder.max_tokens: must be at least 1"),
    InvalidCase(
        #"{"providers": [\#(providerA)], "agents": {"coder": {"budget": {"usd_per_day": 0}}}}"#,
        "agents.coder.budget.usd_per_day: must be positive"),
    InvalidCase(
        #"{"providers": [\#(providerA)], "agents": {"coder": {"budget": {"tokens_per_day": -5}}}}"#,
        "agents.coder.budget.tokens_per_day: must be at least 1"),
    InvalidCase(
        #"{"providers": [\#(providerA)], "agents": {"coder": {"budget": {"token_per_day": 5}}}}"#,
        #"agents.coder.budget.token_per_day: unknown key (did you mean "tokens_per_day"?)"#),
    // aliases
    InvalidCase(
        #"{"providers": [\#(providerA)], "aliases": {"x": ["m"], "y": ["x"]}}"#,
        #"aliases.y[0]: "x" is an alias; aliases cannot refer to other aliases"#),
    InvalidCase(#"{"providers": [\#(providerA)], "aliases": {"x": []}}"#, "aliases.x: must list at least one model"),
    InvalidCase(
        #"{"providers": [\#(providerA)], "aliases": {"m": ["a/m"]}}"#,
        "aliases.m: alias name is also a model a provider lists; choose another name"),
    InvalidCase(
        #"{"providers": [\#(providerA)], "aliases": {"a/x": ["a/m"]}}"#,
        #"aliases["a/x"]: alias names must not contain "/""#),
    InvalidCase(#"{"providers": [\#(providerA)], "aliases": {"x": ["c/m"]}}"#, #"aliases.x[0]: unknown provider "c""#),
    // pricing
    InvalidCase(
        #"{"providers": [\#(providerA)], "pricing": {"m": {"input": 1, "output": 2}}}"#,
        "pricing.m: pricing keys are provider/model"),
    InvalidCase(
        #"{"providers": [\#(providerA)], "pricing": {"x/m": {"input": 1, "output": 2}}}"#,
        #"pricing["x/m"]: unknown provider "x""#),
    InvalidCase(
        #"{"providers": [\#(providerA)], "pricing": {"a/q": {"input": 1, "output": 2}}}"#,
        #"pricing["a/q"]: provider "a" does not list model "q""#),
    InvalidCase(
        #"{"providers": [\#(providerA)], "pricing": {"a/m": {"input": 1}}}"#, #"pricing["a/m"].output: missing"#),
    InvalidCase(
        #"{"providers": [\#(providerA)], "pricing": {"a/m": {"input": -1, "output": 2}}}"#,
        #"pricing["a/m"].input: must be at least 0"#),
    InvalidCase(
        #"{"providers": [\#(providerA)], "pricing": {"a/m": {"input": 1, "output": 2, "cached": 1}}}"#,
        #"pricing["a/m"].cached: unknown key"#),
    InvalidCase(
        #"{"providers": [\#(providerA)], "pricing": {"a/m": {"input": 1, "output": 2, "long_context": 5}}}"#,
        #"pricing["a/m"].long_context: expected object, got number"#),
    InvalidCase(
        #"{"providers": [\#(providerA)], "pricing": {"a/m": {"input": 1, "output": 2, "long_context": "#
            + #"{"input": 2, "output": 4}}}}"#,
        #"pricing["a/m"].long_context.above_input_tokens: missing"#),
    InvalidCase(
        #"{"providers": [\#(providerA)], "pricing": {"a/m": {"input": 1, "output": 2, "long_context": "#
            + #"{"above_input_tokens": 0, "input": 2, "output": 4}}}}"#,
        #"pricing["a/m"].long_context.above_input_tokens: must be at least 1"#),
    InvalidCase(
        #"{"providers": [\#(providerA)], "pricing": {"a/m": {"input": 1, "output": 2, "long_context": "#
            + #"{"above_input_tokens": 1.5, "input": 2, "output": 4}}}}"#,
        #"pricing["a/m"].long_context.above_input_tokens: expected integer, got 1.5"#),
    InvalidCase(
        #"{"providers": [\#(providerA)], "pricing": {"a/m": {"input": 1, "output": 2, "long_context": "#
            + #"{"above_input_tokens": 10, "input": 2, "output": -4}}}}"#,
        #"pricing["a/m"].long_context.output: must be at least 0"#),
    InvalidCase(
        #"{"providers": [\#(providerA)], "pricing": {"a/m": {"input": 1, "output": 2, "long_context": "#
            + #"{"above_input_tokens": 10, "output": 4}}}}"#,
        #"pricing["a/m"].long_context.input: missing"#),
    InvalidCase(
        #"{"providers": [\#(providerA)], "pricing": {"a/m": {"input": 1, "output": 2, "long_context": "#
            + #"{"above_input_tokens": 10, "input": 2, "output": 4, "web_search_per_1000": 1}}}}"#,
        #"pricing["a/m"].long_context.web_search_per_1000: unknown key"#),
]

@Suite struct ValidationMessageTests {
    /// Each invalid config yields its exact problem line, with JSON path.
    @Test(arguments: invalidCases)
    func reportsProblem(_ example: InvalidCase) {
        let lines = problems(example.json)
        #expect(lines.contains(example.expected), "got: \(lines)")
    }

    /// The invalid configs of the table produce no stray second problem: each mistake is reported once.
    @Test(arguments: invalidCases)
    func reportsNothingElse(_ example: InvalidCase) {
        #expect(problems(example.json).count == 1, "got: \(problems(example.json))")
    }

    /// A key pasted into api_key_env or a header is never echoed back.
    @Test func neverEchoesSecrets() {
        let json =
            #"{"providers": [{"name": "a", "kind": "openai", "api_key_env": "sk-test-key", "base_url": "https://u:sk-test-key@h.example", "headers": {"x-api-key": "sk-test-key", "X-Ok": "line\nbreak sk-test-key"}}]}"#
        let lines = problems(json)
        #expect(lines.count == 4)
        #expect(!lines.joined().contains("sk-test-key"))
    }

    /// Invalid JSON is reported with its line and column.
    @Test func reportsSyntaxErrorPosition() {
        let lines = problems("{\n  \"providers\": [,]\n}")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("not valid JSON: ") == true)
        #expect(lines.first?.contains("(line 2, column 17)") == true, "got: \(lines)")
    }
}
