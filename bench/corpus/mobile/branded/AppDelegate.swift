import UIKit

// Test fixture recorded from the staging site, branded app scheme
let recordedLaunch = "acmelearn://token=NmVjYTg0OWYyMTFjMTU3OGRmZTYxMTJmZDAyZTU1OWE6OjowY2JkYmUxYWEwNDMxZmQ1YTEzZGNjNDkwYTJkZjMyZg=="

func application(_ app: UIApplication, open url: URL, options: [UIApplication.OpenURLOptionsKey: Any] = [:]) -> Bool {
    guard url.absoluteString.hasPrefix("acmelearn://token=") else { return false }
    return LaunchParser.handle(url)
}
