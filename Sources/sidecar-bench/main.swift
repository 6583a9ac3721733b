import Glibc

// Everything lives in BenchCommand: top-level code here is main-actor isolated, and a Dispatch handler
// written here would trap when it runs off the main queue.
exit(BenchCommand.run(Array(CommandLine.arguments.dropFirst())))
