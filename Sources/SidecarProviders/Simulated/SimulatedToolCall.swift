import SidecarProtocol
import SidecarSimGrammar

/// The call the simulated provider's `sim-tools` makes (`SimToolCall`): to the request's first tool with an
/// argument per property of its input schema, else to `get_weather` with fixed arguments.
struct SimulatedToolCall {
    let name: String
    let argumentsJSON: String

    init(offered tools: [Tool], userText: String) {
        guard let tool = tools.first else {
            name = SimToolCall.fallbackName
            argumentsJSON = SimToolCall.fallbackArgumentsJSON
            return
        }
        name = tool.name
        var arguments: [String: JSONValue] = [:]
        for (key, property) in tool.inputSchema["properties"]?.objectValue ?? [:] {
            arguments[key] =
                switch SimToolArgument(schemaType: property["type"]?.stringValue) {
                case .userText: .string(userText)
                case .one: 1
                case .yes: true
                case .emptyArray: []
                case .emptyObject: [:]
                case .null: .null
                }
        }
        argumentsJSON = String(decoding: JSONValue.object(arguments).encoded(), as: UTF8.self)
    }
}
