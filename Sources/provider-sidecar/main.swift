print("provider-sidecar")
