resource "kubernetes_secret" "lms_runtime" {
  metadata {
    name      = "lms-runtime"
    namespace = "lms"
  }

  type = "Opaque"

  data = {
    moodleWsToken = "0ab04c317d72f08809e3ee422f266374"
    moodleUrl     = "https://moodle.example.edu"
  }
}
