// SidecarProtocolTests: placeholder until the first test lands.
