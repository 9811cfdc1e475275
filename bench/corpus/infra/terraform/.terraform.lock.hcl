# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/kubernetes" {
  version     = "2.23.0"
  constraints = "~> 2.23"
  hashes = [
    "h1:ZjhhMGY0NWVhYTc1MTJkOWEyODQxNDBkMmIzZTlmZjY=",
    "zh:0277bda2e07f511ecb715c70192cbac654109c4f0c910ac5e409d8796283d422",
    "zh:68a4fe6c6052946dd3719cd0346e2b448c64d40d5ca1fd10812b9263e25150bb",
  ]
}
