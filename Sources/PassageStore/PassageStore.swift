// PassageStore
