print("chunkstore: not yet")
