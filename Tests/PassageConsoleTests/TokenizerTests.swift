import Testing

@testable import PassageConsole

@Suite struct TokenizerTests {
    @Test func wordsAreSeparatedByRunsOfSpaces() throws {
        #expect(try Tokenizer.words(of: "  CASE   SHOW\t12 ") == [.plain("CASE"), .plain("SHOW"), .plain("12")])
    }

    @Test func quotedWordsHoldSpacesAndEscapes() throws {
        let words = try Tokenizer.words(of: #"AUTH bob "p a\"s\\s\n\t" "" "#)
        #expect(words == [.plain("AUTH"), .plain("bob"), .plain("p a\"s\\s\n\t"), .plain("")])
    }

    @Test func namedArgumentsHaveLowerCasedKeysAndVerbatimValues() throws {
        let words = try Tokenizer.words(
            of: #"X Priority=Urgent note="Needs Shelter" employment.Skill_Level=2 causes=a,b empty="#)
        #expect(
            words == [
                .plain("X"),
                .named(key: "priority", value: "Urgent"),
                .named(key: "note", value: "Needs Shelter"),
                .named(key: "employment.skill_level", value: "2"),
                .named(key: "causes", value: "a,b"),
                .named(key: "empty", value: ""),
            ])
    }

    @Test func equalsAfterSomethingThatIsNotAKeyIsPartOfAPlainWord() throws {
        #expect(try Tokenizer.words(of: "1=2 a..b=c .x=y") == [.plain("1=2"), .plain("a..b=c"), .plain(".x=y")])
        #expect(try Tokenizer.words(of: #""a=b""#) == [.plain("a=b")])
    }

    @Test func jsonTailTakesTheRestVerbatimOnlyWhenAsked() throws {
        let line = #"CASE SET 7 version=2 {"ref": "a b", "age": 3}  "#
        #expect(
            try Tokenizer.words(of: line, jsonTail: true) == [
                .plain("CASE"), .plain("SET"), .plain("7"), .named(key: "version", value: "2"),
                .jsonTail(#"{"ref": "a b", "age": 3}"#),
            ])
        // Without the JSON mode a brace is an ordinary character and quotes inside words are errors.
        #expect(try Tokenizer.words(of: "AUTH bob {secret}") == [.plain("AUTH"), .plain("bob"), .plain("{secret}")])
    }

    @Test(arguments: [
        (#"AUTH "bob"#, "unterminated quote"),
        (#"AUTH "bob"x"#, "closing quote must end the word"),
        (#"AUTH b"ob""#, "unexpected quote inside a word"),
        (#"X note=ab"c""#, "unexpected quote inside a value"),
        (#"X "a\qb""#, #"unknown escape \q"#),
        (#"X "a\"#, "backslash at end of line"),
    ])
    func badQuotingIsASyntaxErrorThatSaysWhat(line: String, expected: String) {
        #expect {
            _ = try Tokenizer.words(of: line)
        } throws: { error in
            (error as? SyntaxError)?.message.contains(expected) == true
        }
    }

    /// Found by the framing fuzzer (Docs/reliability.md): tokenizing by grapheme cluster glued a
    /// combining mark onto a quote, so a word starting with one read back differently once
    /// quoted, and a quoted value starting with one was refused.
    @Test func combiningMarksDoNotSwallowQuotes() throws {
        let fuzzInput = "\u{34D}ING"  // the fuzzer's line: U+034D, then ING
        let words = try Tokenizer.words(of: fuzzInput)
        #expect(words == [.plain("\u{34D}ING")])
        #expect(try Tokenizer.words(of: "\"\u{34D}ING\"") == words)
        #expect(
            try Tokenizer.words(of: "PERSON SET 1 name=\"\u{301}Zoe\" phone=\"e\u{301}\"") == [
                .plain("PERSON"), .plain("SET"), .plain("1"), .named(key: "name", value: "\u{301}Zoe"),
                .named(key: "phone", value: "e\u{301}"),
            ])
        #expect(throws: SyntaxError.self) { try Tokenizer.words(of: "\"abc\"\u{301}") }  // a mark after a closing quote is not a separator
        // A JSON tail whose brace carries a combining mark is still the tail (the decoder refuses it).
        #expect(
            try Tokenizer.words(of: "CASE NEW {\u{59E}T}", jsonTail: true) == [
                .plain("CASE"), .plain("NEW"), .jsonTail("{\u{59E}T}"),
            ])
    }
}

/// `Tokenizer.isKey` reads bytes for speed; it must agree with the rule as stated on
/// Characters: identifier parts (a letter or `_` first, then letters, digits, `_`), all ASCII,
/// joined by single dots.
@Suite struct KeyRuleTests {
    static func statedRule(_ text: String) -> Bool {
        guard !text.isEmpty else { return false }
        return text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            guard let first = part.first, first.isASCII, first.isLetter || first == "_" else { return false }
            return part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        }
    }

    @Test func agreesWithTheStatedRule() {
        var words = [
            "", "a", "_", "a1", "1a", "a.b", "a..b", ".a", "a.", "employment.skill_level", "a-b", "é", "a\u{301}",
            "ab c", "A_Z.z9", "x.1", "x._1", "\u{0661}", "a=b", "key\u{0}",
        ]
        words += randomWords(from: "aZ_09.-é\u{301} ", maxLength: 6)
        for word in words {
            #expect(Tokenizer.isKey(word) == Self.statedRule(word), "\(word.debugDescription)")
        }
    }
}

/// `ArgumentSpec.wholeNumber` reads bytes for speed; it must agree with the rule as stated on
/// Characters: an optional leading minus, then 1 to 18 ASCII digits, nothing else.
@Suite struct WholeNumberRuleTests {
    static func statedRule(_ text: String) -> Int? {
        let digits = text.hasPrefix("-") ? text.dropFirst() : text[...]
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    @Test func agreesWithTheStatedRule() {
        var words = [
            "", "-", "0", "-0", "12", "+5", " 5", "5.0", "1e3", "123456789012345678", "1234567890123456789",
            "-123456789012345678", "\u{0661}\u{0662}", "１２", "--1", "1-",
        ]
        words += randomWords(from: "0123456789-+ .١", maxLength: 20)
        for word in words {
            #expect(ArgumentSpec.wholeNumber(word) == Self.statedRule(word), "\(word.debugDescription)")
        }
    }
}

/// 20,000 words of up to `maxLength` characters drawn from `alphabet`, for the rule tests above.
private func randomWords(from alphabet: String, maxLength: Int) -> [String] {
    let characters = Array(alphabet)
    var generator = SystemRandomNumberGenerator()
    return (0..<20_000).map { _ in
        let length = Int.random(in: 0...maxLength, using: &generator)
        return String((0..<length).map { _ in characters.randomElement(using: &generator)! })
    }
}
