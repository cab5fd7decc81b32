import PassageCore

/// A calendar date as the console's arguments take it (`from=2026-01-31`, `dob=1990-04-01`):
/// PassageCore's, so the HTTP API and the services check dates the same way.
public typealias ConsoleDate = CalendarDate
