/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "ag-tray-icon.h"

const char *
ag_tray_icon_name (AgTrayIconState state)
{
  switch (state)
    {
    case AG_TRAY_ICON_ON:
      return AG_APP_ID "-symbolic";
    case AG_TRAY_ICON_OFF:
      return AG_APP_ID "-off-symbolic";
    case AG_TRAY_ICON_LIMITED:
      return AG_APP_ID "-limited-symbolic";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* GNOME palette: blue 3, dark 1 (grey), orange 3. */
static guint32
state_colour (AgTrayIconState state)
{
  switch (state)
    {
    case AG_TRAY_ICON_ON:
      return 0x3584e4;
    case AG_TRAY_ICON_LIMITED:
      return 0xe66100;
    case AG_TRAY_ICON_OFF:
    default:
      return 0x9a9996;
    }
}

#define SUBSAMPLES 4

/* Fraction of the pixel's 4×4 sub-samples between radii @inner and @outer around the centre: anti-aliasing
 * without libm. */
static double
coverage (int x, int y, int size, double outer, double inner)
{
  int inside = 0;

  for (int sy = 0; sy < SUBSAMPLES; sy++)
    for (int sx = 0; sx < SUBSAMPLES; sx++)
      {
        double dx = x + (sx + 0.5) / SUBSAMPLES - size / 2.0;
        double dy = y + (sy + 0.5) / SUBSAMPLES - size / 2.0;
        double d2 = dx * dx + dy * dy;

        if (d2 <= outer * outer && d2 >= inner * inner)
          inside++;
      }
  return (double) inside / (SUBSAMPLES * SUBSAMPLES);
}

/* A disc (on, limited) or a ring (off), so the states differ by shape as well as by colour. */
static GVariant *
draw_pixmap (AgTrayIconState state, int size)
{
  guint32 rgb = state_colour (state);
  double outer = size / 2.0 - size / 16.0;
  double inner = state == AG_TRAY_ICON_OFF ? outer - MAX (1.5, size / 8.0) : 0.0;
  gsize length = (gsize) size * size * 4;
  g_autofree guint8 *pixels = g_malloc (length);

  for (int y = 0; y < size; y++)
    for (int x = 0; x < size; x++)
      {
        guint8 *p = pixels + ((gsize) y * size + x) * 4;

        p[0] = (guint8) (coverage (x, y, size, outer, inner) * 255 + 0.5);
        p[1] = (rgb >> 16) & 0xff;
        p[2] = (rgb >> 8) & 0xff;
        p[3] = rgb & 0xff;
      }
  return g_variant_new ("(ii@ay)", size, size, g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, pixels, length, 1));
}

GVariant *
ag_tray_icon_pixmaps (AgTrayIconState state)
{
  static const int sizes[] = { 16, 22, 32, 48 };
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(iiay)"));
  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    g_variant_builder_add_value (&builder, draw_pixmap (state, sizes[i]));
  return g_variant_builder_end (&builder);
}
