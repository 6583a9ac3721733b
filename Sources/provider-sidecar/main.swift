import Foundation
import SidecarCLI

// Everything lives in SidecarCLI: top-level code here is main-actor isolated, and a Dispatch handler
// written here would trap when it runs off the main queue.
exit(await CommandLineTool.run(Array(CommandLine.arguments.dropFirst())))
