import Foundation

struct MoodleAPI {
    let baseURL = URL(string: "https://moodle.example.edu")!
    var token = "47e391ff8dc17008ec3a8639bf17adb1"
    var privateToken = "fhmv6k5sUfYec6tpbzt0Yg711U0kFUGCU8IYGi7ENnVHVzZjETqVjD3J5EkDWEhC"

    func autologinKey() async throws -> String {
        let response: AutologinResponse = try await call(function: "tool_mobile_get_autologin_key",
                                                         params: ["privatetoken": privateToken])
        return response.key
    }
}
