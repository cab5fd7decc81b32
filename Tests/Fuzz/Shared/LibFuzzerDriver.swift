#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Hands control to libFuzzer's own driver (flags, corpus, crash files) with `test` as the
/// target. SwiftPM links every executable with its `main` renamed, so libFuzzer's `main`
/// cannot be used; `LLVMFuzzerRunDriver` is libFuzzer's documented entry for that case.
/// `LLVMFuzzerTestOneInput` is exported as well, so the same object also works with a
/// libFuzzer `main` (e.g. built with swiftc directly).
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// `target` is the file's `LLVMFuzzerTestOneInput`, passed in from the file that declares it
/// (naming a `@_cdecl` function from another file emits a second copy of its C symbol).
func runLibFuzzer(_ target: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, target))
}

/// One input as a Swift array (libFuzzer may pass a null pointer for the empty input).
func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// A broken property is a crash, so libFuzzer records the input.
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("property violated: \(message())") }
}
