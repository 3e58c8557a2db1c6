import sys

if sys.argv[1:2] == ["--probe-input-devices"]:
    # The device scan that app.audio.probe runs in a child process; a packaged
    # build has no `python -m app.audio.probe`, so it arrives here.
    from app.audio.probe import main as probe_main

    sys.exit(probe_main(sys.argv[1:]))

from app.cli import main

sys.exit(main())
