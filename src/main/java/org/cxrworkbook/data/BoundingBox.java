package org.cxrworkbook.data;

/**
 * A lesion box from BBox_List_2017.csv (or the phantom's): top-left x, y and size in pixels of the PNG file
 * itself (1024² for NIH), not of the original DICOM whose size Data_Entry lists.
 */
public record BoundingBox(String imageIndex, Finding finding, double x, double y, double width, double height) {

    /** True when the pixel coordinate lies inside the box. */
    public boolean contains(double px, double py) {
        return px >= x && px < x + width && py >= y && py < y + height;
    }

    /** This box scaled from an image of {@code fromWidth × fromHeight} (the PNG's) to one of {@code toWidth × toHeight}. */
    public BoundingBox scaled(double fromWidth, double fromHeight, double toWidth, double toHeight) {
        double sx = toWidth / fromWidth;
        double sy = toHeight / fromHeight;
        return new BoundingBox(imageIndex, finding, x * sx, y * sy, width * sx, height * sy);
    }
}
