# Sourced by the drill scripts: builds the passage executable (debug build, the one the tests
# use) and sets $passage to it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source Deploy/swift-env.sh
swift build --product passage >/dev/null
passage="$(swift build --show-bin-path)/passage"
