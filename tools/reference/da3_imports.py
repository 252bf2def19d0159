"""Imports the depth-anything-3 package (0.1.1, installed with --no-deps) without its heavy extras.

The package's api module imports exporters (video, Gaussian splats, COLMAP, GLB, matplotlib plots) at the
top level; their dependencies (moviepy, open3d, pycolmap, xformers' numpy<2 pin, …) are not installable
beside torch 2.15 and are never called here. They are replaced by inert stand-in modules before import.
The network, InputProcessor and OutputProcessor used by the generator are the package's real code.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import types

EXPORT_ONLY = {
    "moviepy", "plyfile", "trimesh", "open3d", "pycolmap", "evo", "e3nn", "imageio",
    "pillow_heif", "gsplat", "typer", "fastapi", "uvicorn", "matplotlib",
}


class _Inert(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Inert(f"{self.__name__}.{name}")

    def __call__(self, *args, **kwargs):
        raise RuntimeError(f"{self.__name__} is a stand-in: the reference generator never exports with it")


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in EXPORT_ONLY:
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec):
        return _Inert(spec.name)

    def exec_module(self, module):
        module.__path__ = []


def install() -> None:
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
