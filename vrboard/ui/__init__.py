"""The Qt desktop app. Qt stays in this package; it holds no board rule of its own."""
