import Glibc

// Everything lives in BenchCommand: top-level code here is main-actor isolated (see LINUX-SWIFT-NOTES).
exit(BenchCommand.run(Array(CommandLine.arguments.dropFirst())))
