import Foundation
import SidecarConfig

/// Which socket a client command talks to: `--socket`, else PROVIDER_SIDECAR_SOCKET, else the first listener
/// of the config named by PROVIDER_SIDECAR_CONFIG, else the default socket path.
enum SocketPath {
    static func resolve(_ option: String?) -> String {
        if let option { return option }
        let environment = ProcessInfo.processInfo.environment
        if let path = environment[ConfigDefaults.socketVariable], !path.isEmpty { return path }
        if let config = try? ConfigLoader.load(path: nil, environment: environment),
            let listener = config.listeners.first(where: { $0.agent == nil }) ?? config.listeners.first
        {
            return listener.path
        }
        return ConfigLoader.defaultConfig(environment: environment).listeners.first?.path ?? "sidecar.sock"
    }
}
