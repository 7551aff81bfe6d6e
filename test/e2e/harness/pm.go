package harness

import (
	"bytes"
	"context"
	"io"
	"time"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/pluginstorage"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

// nopPluginManager is the engine's plugin manager for the in-process "aws" provider: it claims
// every plugin is installed and never downloads (same as the lifecycle tests' NopPluginManager).
// Policy analyzers are not resolved through it: the real host looks them up itself.
type nopPluginManager struct{}

func (nopPluginManager) GetPluginPath(context.Context, diag.Sink, workspace.PluginDescriptor,
	[]workspace.ProjectPlugin,
) (string, error) {
	return "installed", nil
}

func (nopPluginManager) HasPlugin(context.Context, workspace.PluginDescriptor) bool { return true }

func (nopPluginManager) HasPluginGTE(context.Context, workspace.PluginDescriptor) (bool, *semver.Version, error) {
	return true, nil, nil
}

func (nopPluginManager) GetLatestVersion(context.Context, workspace.PluginDescriptor) (*semver.Version, error) {
	return semver.New("1.0.0")
}

func (nopPluginManager) GetPlugins(context.Context) ([]workspace.PluginInfo, error) {
	return []workspace.PluginInfo{}, nil
}

func (nopPluginManager) DownloadPlugin(context.Context, workspace.PluginDescriptor,
	func(io.ReadCloser, int64) io.ReadCloser, func(error, int, int, time.Duration),
) (io.ReadCloser, int64, error) {
	return io.NopCloser(bytes.NewReader(nil)), 0, nil
}

func (nopPluginManager) InstallPlugin(context.Context, workspace.PluginDescriptor, pluginstorage.Content, bool) error {
	return nil
}
