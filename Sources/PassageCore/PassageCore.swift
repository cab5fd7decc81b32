// PassageCore
