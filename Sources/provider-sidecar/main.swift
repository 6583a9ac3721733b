import Foundation
import SidecarCLI

// Everything lives in SidecarCLI: top-level code here is main-actor isolated (see LINUX-SWIFT-NOTES).
exit(await CommandLineTool.run(Array(CommandLine.arguments.dropFirst())))
