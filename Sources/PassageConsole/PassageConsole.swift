// PassageConsole
