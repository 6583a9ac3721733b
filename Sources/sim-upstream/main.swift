print("sim-upstream")
