// libFuzzer target: the console's line framer and tokenizer on arbitrary bytes.
// LineFramer.swift and Tokenizer.swift are links to the console's own sources, compiled here
// without NIO, BoringSSL and libpq so the instrumented build stays small and fast.
//
// Beyond "does not crash", each input checks properties the server relies on:
//   - the framer's events do not depend on how TCP cut the stream (whole, three pieces, small pieces);
//   - an accepted line holds no LF or NUL, is valid UTF-8 and is no longer than the limit;
//   - the tokenizer either reads words or throws its own SyntaxError, never anything else;
//   - quoting the words again (as a client does) and reading them back gives the same words.

@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    for limit in [LineFramer.defaultLimit, 24] {
        let events = checkFraming(bytes, limit: limit)
        for case .line(let line) in events {
            checkTokenizing(line)
        }
    }
    return 0
}

private func frame(_ pieces: [ArraySlice<UInt8>], limit: Int) -> (events: [FrameEvent], partial: Bool) {
    var framer = LineFramer(limit: limit)
    var events: [FrameEvent] = []
    for piece in pieces { events += framer.feed(piece) }
    return (events, framer.hasPartialLine)
}

private func checkFraming(_ bytes: [UInt8], limit: Int) -> [FrameEvent] {
    let whole = frame([bytes[...]], limit: limit)
    let third = bytes.count / 3
    let pieces = [bytes[..<third], bytes[third..<(2 * third)], bytes[(2 * third)...]]
    let inThree = frame(pieces, limit: limit)
    require(inThree.events == whole.events && inThree.partial == whole.partial, "three pieces differ from whole")
    // Byte by byte only for short inputs: long ones would spend the time in feed calls while
    // the seven-byte pieces already cut every long line at many places.
    let small = bytes.count <= 1024 ? 1 : 7
    let pieces2 = stride(from: 0, to: bytes.count, by: small).map { bytes[$0..<min($0 + small, bytes.count)] }
    let byByte = frame(pieces2, limit: limit)
    require(byByte.events == whole.events && byByte.partial == whole.partial, "small pieces differ from whole")
    let newlines = bytes.filter { $0 == UInt8(ascii: "\n") }.count
    require(whole.events.count <= newlines + newlines + 1, "more events than lines")
    for case .line(let line) in whole.events {
        require(!line.utf8.contains(UInt8(ascii: "\n")), "LF inside a line")
        require(!line.utf8.contains(0), "NUL inside a line")
        require(line.utf8.count <= limit, "line longer than the limit")
    }
    return whole.events
}

private func checkTokenizing(_ line: String) {
    for jsonTail in [false, true] {
        let words: [Word]
        do {
            words = try Tokenizer.words(of: line, jsonTail: jsonTail)
        } catch {
            require(
                error.column >= 1 && error.column <= line.unicodeScalars.count + 1, "syntax error column out of range")
            continue
        }
        for (index, word) in words.enumerated() {
            switch word {
            case .named(let key, _):
                require(key == key.lowercased() && Tokenizer.isKey(key), "named key not a lower-case key")
            case .jsonTail(let tail):
                require(jsonTail && index == words.count - 1 && tail.unicodeScalars.first == "{", "misplaced JSON tail")  // scalars: "{" + a combining mark is one Character
            case .plain:
                break
            }
        }
        guard !jsonTail else { continue }
        let requoted = words.map(quote).joined(separator: " ")
        let again = try? Tokenizer.words(of: requoted)
        require(again == words, "re-quoted words read back differently")
    }
}

/// How a client writes a word so that it reads back verbatim.
private func quote(_ word: Word) -> String {
    switch word {
    case .plain(let text): return Tokenizer.quoted(text)
    case .named(let key, let value): return key + "=" + Tokenizer.quoted(value)
    case .jsonTail(let tail): return tail
    }
}

runLibFuzzer(LLVMFuzzerTestOneInput)
