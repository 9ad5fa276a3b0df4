"""The site's photos: made fit for slow phones (`process`) and published in their stead (`publish`)."""
