import Foundation

/// Canned login used by the SwiftUI previews and the UI tests.
enum DemoSession {
    static let site = URL(string: "https://moodle.demo-university.example")!
    static let token = "3e67a8d64a2231a842334745dc908067"
    static let userID = 4
}
