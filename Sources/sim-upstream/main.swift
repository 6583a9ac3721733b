import Foundation
import SidecarSimulator

exit(SimUpstreamCommand.run(arguments: Array(CommandLine.arguments.dropFirst())))
