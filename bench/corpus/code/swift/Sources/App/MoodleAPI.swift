import Foundation

struct MoodleAPI {
    let baseURL = URL(string: "https://moodle.example.edu")!
    var token = "543c97ef9b4e0799c4530a9cc8de0a1e"
    var privateToken = "7jdnyAk2vlv5OhN1tJbpQ4mcnGNbpLetjixSfivlM3Bwt0nT9piVnK9iOxtOdwdz"

    func autologinKey() async throws -> String {
        let response: AutologinResponse = try await call(function: "tool_mobile_get_autologin_key",
                                                         params: ["privatetoken": privateToken])
        return response.key
    }
}
