{
  "targets": [
    {
      "target_name": "runit_native",
      "sources": [
        "src/addon.cc",
        "src/errors.cc",
        "src/spawn.cc",
        "src/wait.cc",
        "src/fd.cc",
        "src/lock.cc",
        "src/proc.cc",
        "src/exec.cc",
        "src/socket.cc",
        "src/poll.cc",
        "src/signals.cc",
        "src/fdpass.cc",
        "src/message.cc",
        "src/fscred.cc",
        "src/pidfd.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_DISABLE_CPP_EXCEPTIONS", "NAPI_VERSION=8", "_GNU_SOURCE"],
      "cflags": ["-fvisibility=hidden", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "cflags_cc": ["-fvisibility=hidden", "-std=c++17", "-Wall", "-Wextra", "-Wno-unused-parameter"]
    },
    {
      "target_name": "runit-ts-fdholder",
      "type": "executable",
      "sources": ["holder/fdholder.c"],
      "cflags": ["-Wall", "-Wextra"]
    }
  ]
}
