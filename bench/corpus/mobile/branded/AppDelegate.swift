import UIKit

// Test fixture recorded from the staging site, branded app scheme
let recordedLaunch = "acmelearn://token=NThiZmQwYzkwYzMyMTFhN2ZmYjA4NzQ0OTVhZGVlNjU6Ojo1NWFkZjg3ZmE3OWUzYmU1NmE2MjkzZTc0NGFjMTg2NQ=="

func application(_ app: UIApplication, open url: URL, options: [UIApplication.OpenURLOptionsKey: Any] = [:]) -> Bool {
    guard url.absoluteString.hasPrefix("acmelearn://token=") else { return false }
    return LaunchParser.handle(url)
}
