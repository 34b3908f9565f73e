"""VTK scenes of render_field.py: a 2D grid's cells coloured through a lookup table, or a
3D grid's mid slices / iso-surfaces, with title, caption and scalar bar, rendered
offscreen to PNG.

Geometry (io/vtk_series.h): point data on the cell centres, node i of axis a at
(i + 1/2) h_a; an axis the grid lacks has one node. Cells are drawn whole, so a picture
spans the domain [0, L_a] on each axis.
"""
import math
import os
import sys

import matplotlib
import numpy as np
import vtkmodules.vtkCommonCore as core
import vtkmodules.vtkFiltersCore as filters
import vtkmodules.vtkFiltersSources as sources
import vtkmodules.vtkIOImage as image_io
import vtkmodules.vtkRenderingAnnotation as annotation
import vtkmodules.vtkRenderingCore as rendering
import vtkmodules.vtkRenderingFreeType  # noqa: F401  (registers text rendering)
import vtkmodules.vtkRenderingOpenGL2  # noqa: F401  (registers the OpenGL back end)

BACKGROUND = (0.32, 0.34, 0.43)  # ParaView's default background
TABLE_SIZE = 256                 # colours in the lookup table


def grid_axes(image):
    """Axes with more than one node (0 = x, 1 = y, 2 = z)."""
    return [a for a, n in enumerate(image.GetDimensions()) if n > 1]


def domain_box(image):
    """Lower and upper corners of the cells (m): node i is the centre of [i h, (i + 1) h]."""
    dims, origin, h = image.GetDimensions(), image.GetOrigin(), image.GetSpacing()
    lower = [origin[a] - h[a] / 2 if dims[a] > 1 else origin[a] for a in range(3)]
    upper = [origin[a] + (dims[a] - 0.5) * h[a] if dims[a] > 1 else origin[a] for a in range(3)]
    return lower, upper


def colour_table(cmap, lo, hi):
    table = core.vtkLookupTable()
    table.SetNumberOfTableValues(TABLE_SIZE)
    table.SetRange(lo, hi)
    colours = matplotlib.colormaps[cmap](np.linspace(0.0, 1.0, TABLE_SIZE))
    for k, c in enumerate(colours):
        table.SetTableValue(k, float(c[0]), float(c[1]), float(c[2]), 1.0)
    table.Build()
    return table


def colour_of(table, value):
    rgb = [0.0, 0.0, 0.0]
    table.GetColor(value, rgb)
    return [int(round(255 * c)) for c in rgb]


def cell_colours(table, values):
    """The distinct 8-bit table colours of the cells (the picture of a 2D grid shows exactly these)."""
    lo, hi = table.GetRange()
    # vtkLookupTable's linear index: floor((v - lo) N / (hi - lo)), the top value in entry N - 1
    index = np.clip(((np.asarray(values) - lo) * (TABLE_SIZE / (hi - lo))).astype(int), 0, TABLE_SIZE - 1)
    return [colour_of(table, lo + (k + 0.5) * (hi - lo) / TABLE_SIZE) for k in np.unique(index)]


def require_display():
    if not os.environ.get("DISPLAY"):
        sys.exit("render_field.py: 2D and 3D pictures need an X display for VTK's OpenGL renderer "
                 "(offscreen still opens one); run under: xvfb-run -a /usr/bin/python3 render_field.py ...")


def render_window(size):
    require_display()
    window = rendering.vtkRenderWindow()
    window.SetOffScreenRendering(1)
    window.SetSize(*size)
    window.SetMultiSamples(0)  # exact table colours on the cells
    window.SetNumberOfLayers(2)
    return window


def text_actor(text, size, x, y):
    actor = rendering.vtkTextActor()
    actor.SetInput(text)
    actor.GetTextProperty().SetFontSize(size)
    actor.GetTextProperty().SetJustificationToCentered()
    actor.GetTextProperty().SetVerticalJustificationToCentered()
    actor.GetPositionCoordinate().SetCoordinateSystemToNormalizedViewport()
    actor.SetPosition(x, y)
    return actor


def plain(text_property, size):
    text_property.SetFontSize(size)
    text_property.ItalicOff()
    text_property.BoldOff()
    text_property.ShadowOff()


def extent_caption(image):
    lower, upper = domain_box(image)
    return ",   ".join(f"{'xyz'[a]}: {lower[a]:.4g} to {upper[a]:.4g} m" for a in grid_axes(image))


def annotation_renderer(title, caption, field, table):
    """Layer 0, whole window: background, title on top, domain below, scalar bar on the right."""
    renderer = rendering.vtkRenderer()
    renderer.SetBackground(*BACKGROUND)
    renderer.AddActor2D(text_actor(title, 22, 0.5, 0.95))
    renderer.AddActor2D(text_actor(caption, 14, 0.4, 0.03))
    bar = annotation.vtkScalarBarActor()
    bar.SetLookupTable(table)
    bar.SetTitle(field)
    bar.SetNumberOfLabels(5)
    bar.SetLabelFormat("%-#9.3g")
    bar.SetMaximumNumberOfColors(TABLE_SIZE)
    bar.UnconstrainedFontSizeOn()
    plain(bar.GetTitleTextProperty(), 16)
    plain(bar.GetLabelTextProperty(), 14)
    bar.GetPositionCoordinate().SetCoordinateSystemToNormalizedViewport()
    bar.SetPosition(0.83, 0.08)
    bar.SetWidth(0.15)
    bar.SetHeight(0.78)
    renderer.AddActor2D(bar)
    return renderer


def data_renderer():
    """Layer 1, left 80 % between the title and the caption: the field itself."""
    renderer = rendering.vtkRenderer()
    renderer.SetLayer(1)
    renderer.SetViewport(0.0, 0.06, 0.8, 0.9)
    return renderer


def image_slice(image, field, table, orientation=2, slice_number=0):
    image.GetPointData().SetActiveScalars(field)
    mapper = rendering.vtkImageSliceMapper()
    mapper.SetInputData(image)
    mapper.SetOrientation(orientation)
    mapper.SetSliceNumber(slice_number)
    mapper.BorderOn()  # whole cells: the picture spans [0, L], not [h/2, L - h/2]
    prop = rendering.vtkImageProperty()
    prop.SetLookupTable(table)
    prop.UseLookupTableScalarRangeOn()
    prop.SetInterpolationTypeToNearest()
    actor = rendering.vtkImageSlice()
    actor.SetMapper(mapper)
    actor.SetProperty(prop)
    return actor


def fit_plane(renderer, window, lower, upper, axes):
    """Parallel camera looking down the normal of the plane of `axes`, the domain fitted."""
    u, v = axes
    camera = renderer.GetActiveCamera()
    camera.ParallelProjectionOn()
    centre = [(lower[a] + upper[a]) / 2 for a in range(3)]
    normal = [0.0, 0.0, 0.0]
    normal[3 - u - v] = 1.0
    up = [0.0, 0.0, 0.0]
    up[v] = 1.0
    width, height = upper[u] - lower[u], upper[v] - lower[v]
    camera.SetFocalPoint(*centre)
    camera.SetPosition(*[c + n * (width + height) for c, n in zip(centre, normal)])
    camera.SetViewUp(*up)
    w, h = window.GetSize()
    x0, y0, x1, y1 = renderer.GetViewport()
    aspect = (x1 - x0) * w / ((y1 - y0) * h)
    camera.SetParallelScale(0.5 * max(height, width / aspect) * 1.05)
    renderer.ResetCameraClippingRange()


def region_in_pixels(renderer, window, points):
    """Bounding box (x0, y0, x1, y1) in picture pixels (y down, ends excluded) of world points,
    shrunk by 2 pixels so that it holds only the data."""
    xs, ys = [], []
    for p in points:
        renderer.SetWorldPoint(p[0], p[1], p[2], 1.0)
        renderer.WorldToDisplay()
        x, y, _ = renderer.GetDisplayPoint()
        xs.append(x)
        ys.append(y)
    height = window.GetSize()[1]
    return [int(math.ceil(min(xs))) + 2, int(math.ceil(height - max(ys))) + 2,
            int(math.floor(max(xs))) - 2, int(math.floor(height - min(ys))) - 2]


def save_png(window, path):
    grab = rendering.vtkWindowToImageFilter()
    grab.SetInput(window)
    grab.SetInputBufferTypeToRGB()
    grab.ReadFrontBufferOff()
    grab.Update()
    writer = image_io.vtkPNGWriter()
    writer.SetFileName(path)
    writer.SetInputConnection(grab.GetOutputPort())
    writer.Write()


def corners(lower, upper):
    return [[(lower, upper)[(k >> a) & 1][a] for a in range(3)] for k in range(8)]


def render_image(image, field, title, table, size, path, axes):
    """2D: the cells coloured by the table, seen from the third axis."""
    window = render_window(size)
    window.AddRenderer(annotation_renderer(title, extent_caption(image), field, table))
    renderer = data_renderer()
    window.AddRenderer(renderer)
    renderer.AddViewProp(image_slice(image, field, table, orientation=3 - sum(axes)))
    lower, upper = domain_box(image)
    fit_plane(renderer, window, lower, upper, axes)
    window.Render()
    save_png(window, path)
    return {"kind": "image", "region": region_in_pixels(renderer, window, corners(lower, upper))}


def render_volume(image, field, title, table, size, path, contours):
    """3D: three orthogonal slices through the centre, or iso-surfaces, with the outline."""
    window = render_window(size)
    window.AddRenderer(annotation_renderer(title, extent_caption(image), field, table))
    renderer = data_renderer()
    window.AddRenderer(renderer)
    image.GetPointData().SetActiveScalars(field)
    if contours:
        surface = filters.vtkContourFilter()
        surface.SetInputData(image)
        for k, value in enumerate(contours):
            surface.SetValue(k, value)
        mapper = rendering.vtkPolyDataMapper()
        mapper.SetInputConnection(surface.GetOutputPort())
        mapper.SetLookupTable(table)
        mapper.UseLookupTableScalarRangeOn()
        actor = rendering.vtkActor()
        actor.SetMapper(mapper)
        if len(contours) > 1:
            actor.GetProperty().SetOpacity(0.6)  # the inner surfaces show through
        renderer.AddActor(actor)
    else:
        dims = image.GetDimensions()
        for axis in range(3):
            renderer.AddViewProp(image_slice(image, field, table, orientation=axis, slice_number=dims[axis] // 2))
    lower, upper = domain_box(image)
    outline = sources.vtkOutlineSource()
    outline.SetBounds(lower[0], upper[0], lower[1], upper[1], lower[2], upper[2])
    outline_mapper = rendering.vtkPolyDataMapper()
    outline_mapper.SetInputConnection(outline.GetOutputPort())
    outline_actor = rendering.vtkActor()
    outline_actor.SetMapper(outline_mapper)
    outline_actor.GetProperty().SetColor(1.0, 1.0, 1.0)
    renderer.AddActor(outline_actor)
    camera = renderer.GetActiveCamera()
    camera.SetViewUp(0.0, 0.0, 1.0)
    camera.SetPosition(1.0, -2.0, 1.2)
    camera.SetFocalPoint(0.0, 0.0, 0.0)
    renderer.ResetCamera()
    camera.Zoom(1.1)
    renderer.ResetCameraClippingRange()
    window.Render()
    save_png(window, path)
    kind = "contour" if contours else "slices"
    return {"kind": kind, "region": region_in_pixels(renderer, window, corners(lower, upper))}
