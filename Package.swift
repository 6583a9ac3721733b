// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "ProviderSidecar",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "provider-sidecar", targets: ["provider-sidecar"]),
        .executable(name: "sim-upstream", targets: ["sim-upstream"]),
        .executable(name: "sidecar-bench", targets: ["sidecar-bench"]),
    ],
    targets: [
        // MARK: System libraries
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        .systemLibrary(name: "CEpoll", path: "Sources/CEpoll"),

        // MARK: Socket I/O
        .target(name: "SidecarEventLoop", dependencies: ["CEpoll"]),

        // MARK: Wire protocol
        .target(name: "SidecarFraming"),
        .target(name: "SidecarProtocol"),
        .target(name: "SidecarTime"),

        // MARK: Upstream side
        .target(name: "SidecarHTTP", dependencies: ["SidecarEventLoop"]),
        .target(name: "SidecarSimGrammar"),
        .target(name: "SidecarProviders", dependencies: ["SidecarProtocol", "SidecarHTTP", "SidecarSimGrammar"]),
        .target(name: "SidecarRegistry", dependencies: ["SidecarProtocol", "SidecarProviders"]),
        .target(name: "SidecarSimulator", dependencies: ["SidecarSimGrammar"]),

        // MARK: Accounting: pricing and budgets in memory; the ledger stores usage and seeds the budgets
        .target(name: "SidecarSpending", dependencies: ["SidecarProtocol", "SidecarTime"]),
        .target(name: "SidecarLedger", dependencies: ["SidecarProtocol", "SidecarTime", "SidecarSpending", "CSQLite"]),

        // MARK: Daemon
        .target(
            name: "SidecarTransport", dependencies: ["SidecarEventLoop", "SidecarFraming", "SidecarProtocol"]
        ),
        .target(
            name: "SidecarConfig",
            dependencies: [
                "SidecarEventLoop",
                "SidecarProtocol", "SidecarHTTP", "SidecarProviders", "SidecarRegistry", "SidecarSpending",
                "SidecarTransport",
            ]
        ),
        .target(
            name: "SidecarServer",
            dependencies: [
                "SidecarTransport", "SidecarProtocol", "SidecarHTTP", "SidecarProviders", "SidecarRegistry",
                "SidecarSpending", "SidecarLedger", "SidecarConfig",
            ]
        ),
        .target(
            name: "SidecarCLI",
            dependencies: [
                "SidecarEventLoop", "SidecarTransport", "SidecarFraming", "SidecarProtocol", "SidecarSpending",
                "SidecarLedger", "SidecarConfig", "SidecarServer", "SidecarSimulator",
            ]
        ),

        // MARK: Executables
        .executableTarget(name: "provider-sidecar", dependencies: ["SidecarCLI"]),
        .executableTarget(name: "sim-upstream", dependencies: ["SidecarSimulator"]),
        .executableTarget(
            name: "sidecar-bench",
            dependencies: ["SidecarEventLoop", "SidecarFraming", "SidecarProtocol", "SidecarHTTP", "SidecarSimulator"]
        ),

        // MARK: Tests
        .target(
            name: "SidecarTestSupport",
            dependencies: [
                "SidecarEventLoop", "SidecarFraming", "SidecarProtocol", "SidecarSimulator", "SidecarCLI",
                "SidecarLedger",
            ],
            path: "Tests/SidecarTestSupport"
        ),
        .testTarget(
            name: "SidecarFramingTests", dependencies: ["SidecarFraming", "SidecarProtocol", "SidecarTestSupport"]),
        .testTarget(name: "SidecarSimGrammarTests", dependencies: ["SidecarSimGrammar"]),
        .testTarget(
            name: "SidecarProtocolTests", dependencies: ["SidecarProtocol", "SidecarFraming", "SidecarTestSupport"]
        ),
        .testTarget(name: "SidecarHTTPTests", dependencies: ["SidecarHTTP", "SidecarSimulator", "SidecarTestSupport"]),
        .testTarget(
            name: "SidecarProvidersTests",
            dependencies: [
                "SidecarProviders", "SidecarRegistry", "SidecarProtocol", "SidecarHTTP", "SidecarSimulator",
                "SidecarTestSupport",
            ]
        ),
        .testTarget(
            name: "SidecarRegistryTests",
            dependencies: [
                "SidecarRegistry", "SidecarProviders", "SidecarProtocol", "SidecarHTTP", "SidecarSimulator",
                "SidecarTestSupport",
            ]
        ),
        .testTarget(name: "SidecarTimeTests", dependencies: ["SidecarTime"]),
        .testTarget(name: "SidecarSpendingTests", dependencies: ["SidecarSpending", "SidecarProtocol", "SidecarTime"]),
        .testTarget(
            name: "SidecarLedgerTests",
            dependencies: ["SidecarLedger", "SidecarSpending", "SidecarProtocol", "SidecarTime", "SidecarTestSupport"]
        ),
        .testTarget(
            name: "SidecarConfigTests",
            dependencies: [
                "SidecarConfig", "SidecarRegistry", "SidecarTransport", "SidecarProviders", "SidecarHTTP",
                "SidecarSpending", "SidecarTestSupport",
            ]
        ),
        .testTarget(
            name: "SidecarTransportTests",
            dependencies: ["SidecarTransport", "SidecarFraming", "SidecarProtocol", "SidecarCLI", "SidecarTestSupport"]
        ),
        .testTarget(
            name: "SidecarServerTests",
            dependencies: [
                "SidecarServer", "SidecarTransport", "SidecarConfig", "SidecarLedger", "SidecarProtocol",
                "SidecarTestSupport",
            ]
        ),
        .testTarget(
            name: "SidecarCLITests",
            dependencies: ["SidecarCLI", "SidecarLedger", "SidecarProtocol", "SidecarTestSupport"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "SidecarFraming", "SidecarProtocol", "SidecarSimulator", "SidecarCLI", "SidecarTestSupport",
                "SidecarLedger", "CSQLite", "provider-sidecar", "sim-upstream",
            ]
        ),
    ]
)
